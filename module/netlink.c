// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcall generic netlink family "kcall".
 *
 * One command per operation. The policies do the decoding (strict: any
 * attribute a command does not take is refused), the core does the work,
 * and the reply carries the result. Errors are the core's errno, as on the
 * ioctl path, with an extended ACK message pointing at the bad attribute.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include <kcall.h>

#include "kcall_core.h"
#include "kcall_netlink.h"

/* How a command maps onto the core: its op, input and result attributes. */
struct kcall_nl_cmd {
	enum kcall_op op;
	u16 arg_attr;		/* required s32 input, 0 for none */
	u16 result_attr;	/* result in the reply, 0 for none */
};

static const struct kcall_nl_cmd kcall_nl_cmds[__KCALL_CMD_MAX] = {
	[KCALL_CMD_GOODBYE] = { KCALL_OP_GOODBYE, 0, 0 },
	[KCALL_CMD_SHOWPARAMS] = { KCALL_OP_SHOWPARAMS, KCALL_A_VALUE, 0 },
	[KCALL_CMD_RETPARAM] = { KCALL_OP_RETPARAM, KCALL_A_VALUE, KCALL_A_RESULT },
	[KCALL_CMD_RETPID] = { KCALL_OP_RETPID, KCALL_A_WHICH, KCALL_A_PID },
	[KCALL_CMD_TASKCOUNT] = { KCALL_OP_TASKCOUNT, 0, KCALL_A_COUNT },
};

/* Commands without input take only the flags. */
static const struct nla_policy kcall_flags_policy[KCALL_A_FLAGS + 1] = {
	[KCALL_A_FLAGS] = { .type = NLA_U32 },
};

static const struct nla_policy kcall_value_policy[KCALL_A_VALUE + 1] = {
	[KCALL_A_FLAGS] = { .type = NLA_U32 },
	[KCALL_A_VALUE] = { .type = NLA_S32 },
};

static const struct nla_policy kcall_which_policy[KCALL_A_WHICH + 1] = {
	[KCALL_A_FLAGS] = { .type = NLA_U32 },
	[KCALL_A_WHICH] = { .type = NLA_S32 },
};

static struct genl_family kcall_genl_family;

static void kcall_nl_explain(struct genl_info *info,
			     const struct kcall_nl_cmd *cmd,
			     const struct kcall_args *args)
{
	struct netlink_ext_ack *extack = info->extack;
	const struct nlattr *attr;

	switch (args->bad) {
	case KCALL_BAD_FLAGS:
		NL_SET_ERR_MSG_ATTR(extack, info->attrs[KCALL_A_FLAGS],
				    "unknown flags");
		break;
	case KCALL_BAD_ARG:
		attr = cmd->arg_attr ? info->attrs[cmd->arg_attr] : NULL;
		if (cmd->op == KCALL_OP_RETPARAM)
			NL_SET_ERR_MSG_ATTR(extack, attr, "value above 1024");
		else if (cmd->op == KCALL_OP_RETPID)
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "unknown retpid selector");
		else
			NL_SET_ERR_MSG_ATTR(extack, attr, "invalid argument");
		break;
	case KCALL_BAD_NONE:
		break;
	}
}

/* Names the missing input attribute; GENL_REQ_ATTR_CHECK() gave its type. */
static void kcall_nl_missing(struct genl_info *info, u16 attr)
{
	if (attr == KCALL_A_WHICH)
		NL_SET_ERR_MSG(info->extack, "missing attribute: which");
	else
		NL_SET_ERR_MSG(info->extack, "missing attribute: value");
}

static int kcall_nl_reply(struct genl_info *info,
			  const struct kcall_nl_cmd *cmd, u64 result)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(nla_total_size_64bit(sizeof(u64)), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &kcall_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto err_free;
	}

	switch (cmd->result_attr) {
	case 0:
		ret = 0;
		break;
	case KCALL_A_COUNT:
		ret = nla_put_u64_64bit(msg, KCALL_A_COUNT, result,
					KCALL_A_PAD);
		break;
	default:
		ret = nla_put_s32(msg, cmd->result_attr, (s32)result);
		break;
	}
	if (ret)
		goto err_free;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return ret;
}

static int kcall_nl_doit(struct sk_buff *skb, struct genl_info *info)
{
	const struct kcall_nl_cmd *cmd = &kcall_nl_cmds[info->genlhdr->cmd];
	struct kcall_args args = {};
	int ret;

	if (cmd->arg_attr) {
		if (GENL_REQ_ATTR_CHECK(info, cmd->arg_attr)) {
			kcall_nl_missing(info, cmd->arg_attr);
			return -EINVAL;
		}
		args.arg = nla_get_s32(info->attrs[cmd->arg_attr]);
	}
	if (info->attrs[KCALL_A_FLAGS])
		args.flags = nla_get_u32(info->attrs[KCALL_A_FLAGS]);

	ret = kcall_call(cmd->op, &args);
	if (ret) {
		kcall_nl_explain(info, cmd, &args);
		return ret;
	}
	return kcall_nl_reply(info, cmd, args.result);
}

static const struct genl_ops kcall_nl_ops[] = {
	{
		.cmd = KCALL_CMD_GOODBYE,
		.doit = kcall_nl_doit,
		.policy = kcall_flags_policy,
		.maxattr = KCALL_A_FLAGS,
	},
	{
		.cmd = KCALL_CMD_SHOWPARAMS,
		.doit = kcall_nl_doit,
		.policy = kcall_value_policy,
		.maxattr = KCALL_A_VALUE,
	},
	{
		.cmd = KCALL_CMD_RETPARAM,
		.doit = kcall_nl_doit,
		.policy = kcall_value_policy,
		.maxattr = KCALL_A_VALUE,
	},
	{
		.cmd = KCALL_CMD_RETPID,
		.doit = kcall_nl_doit,
		.policy = kcall_which_policy,
		.maxattr = KCALL_A_WHICH,
	},
	{
		.cmd = KCALL_CMD_TASKCOUNT,
		.doit = kcall_nl_doit,
		.policy = kcall_flags_policy,
		.maxattr = KCALL_A_FLAGS,
	},
};

static struct genl_family kcall_genl_family __ro_after_init = {
	.name = KCALL_GENL_NAME,
	.version = KCALL_GENL_VERSION,
	.maxattr = KCALL_A_MAX,
	/* Works from any network namespace; pids follow the pid namespace. */
	.netnsok = true,
	/* Our handlers share no state: do not serialise on genl_mutex. */
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = kcall_nl_ops,
	.n_ops = ARRAY_SIZE(kcall_nl_ops),
	/* resv_start_op stays 0: strict validation for every command. */
};

int __init kcall_netlink_init(void)
{
	return genl_register_family(&kcall_genl_family);
}

void kcall_netlink_exit(void)
{
	/* Waits for requests in flight: they run under genl's cb_lock. */
	genl_unregister_family(&kcall_genl_family);
}
