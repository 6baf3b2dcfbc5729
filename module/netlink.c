// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcall generic netlink family "kcall".
 *
 * One command per operation. The per-command policies and the op table are
 * generated from uapi/kcall.yaml (netlink_gen.c, tools/gen/ynl-gen.sh); the
 * policies do the decoding (strict: any attribute a command does not take
 * is refused), the core does the work, and the reply carries the result.
 * Errors are the core's errno, as on the ioctl path, with an extended ACK
 * message pointing at the bad attribute.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <kunit/visibility.h>

#include <kcall.h>

#include "kcall_compat.h"
#include "kcall_core.h"
#include "kcall_events.h"
#include "kcall_kunit.h"
#include "kcall_netlink.h"
#include "netlink_gen.h"

/*
 * The events group. Not the generator's (netlink_gen.c): that one has no
 * flags, and events name other users' processes, so joining needs
 * CAP_SYS_ADMIN in the user namespace that owns the listener's network
 * namespace; events are sent only in the initial one (see events.c).
 */
static const struct genl_multicast_group kcall_genl_mcgrps[] = {
	[KCALL_NLGRP_EVENTS] = {
		.name = KCALL_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_SYS_ADMIN,
	},
};

static struct genl_family kcall_genl_family;

/* A request being served: the encode step's context. */
struct kcall_nl_req {
	const struct kcall_op *op;
	struct genl_info *info;
};

/*
 * As NL_SET_ERR_MSG() and NL_SET_ERR_MSG_ATTR(), for a text the op table
 * holds rather than a literal: the table is read-only after init and
 * lives as long as the module.
 */
static void kcall_nl_set_msg(struct netlink_ext_ack *extack, const char *msg)
{
	do_trace_netlink_extack(msg);
	if (extack)
		extack->_msg = msg;
}

static void kcall_nl_set_msg_attr(struct netlink_ext_ack *extack,
				  const struct nlattr *attr, const char *msg)
{
	kcall_nl_set_msg(extack, msg);
	if (extack) {
		extack->bad_attr = attr;
		extack->policy = NULL;
	}
}

static void kcall_nl_explain(struct genl_info *info, const struct kcall_op *op,
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
		attr = op->nl_arg ? info->attrs[op->nl_arg] : NULL;
		if (op->bad_arg)
			kcall_nl_set_msg_attr(extack, attr, op->bad_arg);
		else
			NL_SET_ERR_MSG_ATTR(extack, attr, "invalid argument");
		break;
	case KCALL_BAD_NONE:
		break;
	}
}

static int kcall_nl_put_stats(struct sk_buff *msg,
			      const struct kcall_op_stats *stats)
{
	struct nlattr *nest;
	int i;

	for (i = 0; i < KCALL_NR_OPS; i++) {
		nest = nla_nest_start(msg, KCALL_A_STATS);
		if (!nest)
			return -EMSGSIZE;
		if (nla_put_u32(msg, KCALL_STATS_A_OP, stats[i].op) ||
		    nla_put_u64_64bit(msg, KCALL_STATS_A_CALLS, stats[i].calls,
				      KCALL_STATS_A_PAD) ||
		    nla_put_u64_64bit(msg, KCALL_STATS_A_FAILURES,
				      stats[i].failures, KCALL_STATS_A_PAD)) {
			nla_nest_cancel(msg, nest);
			return -EMSGSIZE;
		}
		nla_nest_end(msg, nest);
	}
	return 0;
}

VISIBLE_IF_KUNIT int kcall_nl_put_result(struct sk_buff *msg,
					 const struct kcall_op *op,
					 const struct kcall_args *args)
{
	switch (op->nl_result) {
	case 0:
		return 0;
	case KCALL_A_COUNT:
		return nla_put_u64_64bit(msg, KCALL_A_COUNT, args->result,
					 KCALL_A_PAD);
	case KCALL_A_STATS:
		return kcall_nl_put_stats(msg, args->stats);
	case KCALL_A_FEATURES:
		if (nla_put_u32(msg, KCALL_A_ABI_VERSION, KCALL_ABI_VERSION))
			return -EMSGSIZE;
		return nla_put_u64_64bit(msg, KCALL_A_FEATURES, args->result,
					 KCALL_A_PAD);
	default:
		return nla_put_s32(msg, op->nl_result, (s32)args->result);
	}
}
EXPORT_SYMBOL_IF_KUNIT(kcall_nl_put_result);

/* Bytes of a command's reply payload: skbs are sized exactly. */
VISIBLE_IF_KUNIT size_t kcall_nl_reply_size(const struct kcall_op *op)
{
	switch (op->nl_result) {
	case 0:
		return 0;
	case KCALL_A_COUNT:
		return nla_total_size_64bit(sizeof(u64));
	case KCALL_A_STATS:
		return KCALL_NR_OPS * (nla_total_size(0) +
				       nla_total_size(sizeof(u32)) +
				       2 * nla_total_size_64bit(sizeof(u64)));
	case KCALL_A_FEATURES:
		return nla_total_size(sizeof(u32)) +
		       nla_total_size_64bit(sizeof(u64));
	default:
		return nla_total_size(sizeof(s32));
	}
}
EXPORT_SYMBOL_IF_KUNIT(kcall_nl_reply_size);

/*
 * The core's encode step: the reply. A reply that cannot be built or sent
 * fails the call, which the core then counts and events as failed.
 */
static int kcall_nl_encode(const struct kcall_args *args, void *ctx)
{
	const struct kcall_nl_req *req = ctx;
	const struct kcall_op *op = req->op;
	struct genl_info *info = req->info;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(kcall_nl_reply_size(op), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &kcall_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto err_free;
	}

	ret = kcall_nl_put_result(msg, op, args);
	if (ret)
		goto err_free;

	genlmsg_end(msg, hdr);
	/* Consumes msg, sent or not. */
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return ret;
}

/*
 * The text is what precedes the NUL; the policy guarantees a NUL but no
 * length (its max-len would answer ERANGE, the contract says EINVAL): the
 * core refuses a text longer than KCALL_MESSAGE_MAX, as for ioctl. Bytes
 * after the NUL would be silently dropped, so they are refused, as a C
 * string cannot carry them either.
 */
static int kcall_nl_get_text(struct genl_info *info, struct kcall_args *args)
{
	const struct nlattr *attr = info->attrs[KCALL_A_TEXT];
	size_t len = strnlen(nla_data(attr), nla_len(attr));

	if (len + 1 != nla_len(attr)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "text has bytes after its NUL");
		return -EINVAL;
	}
	args->text = nla_data(attr);
	args->text_len = len;
	return 0;
}

/*
 * stats: the counters are gathered on a stack of their own (every other
 * command's frame stays small: the stack is zeroed on every call).
 */
static noinline int kcall_nl_stats(struct kcall_nl_req *req,
				   struct kcall_args *args)
{
	struct kcall_op_stats stats[KCALL_NR_OPS];

	args->stats = stats;
	return kcall_call(req->op, args, kcall_nl_encode, req);
}

static int kcall_nl_doit(const struct kcall_op *op, struct sk_buff *skb,
			 struct genl_info *info)
{
	struct kcall_nl_req req = { .op = op, .info = info };
	struct kcall_args args = {
		.transport = KCALL_EVENT_NETLINK,
		.net = genl_info_net(info),
		.skb = skb,
	};
	int ret;

	if (op->nl_arg) {
		if (GENL_REQ_ATTR_CHECK(info, op->nl_arg)) {
			/* GENL_REQ_ATTR_CHECK() gave its type: name it. */
			kcall_nl_set_msg(info->extack, op->nl_missing);
			return -EINVAL;
		}
		if (op->shape == KCALL_ABI3_TEXT) {
			ret = kcall_nl_get_text(info, &args);
			if (ret)
				return ret;
		} else {
			args.argv[0] = (s64)nla_get_s32(info->attrs[op->nl_arg]);
		}
	}
	if (info->attrs[KCALL_A_FLAGS])
		args.flags = nla_get_u32(info->attrs[KCALL_A_FLAGS]);

	if (op->shape == KCALL_ABI3_STATS)
		ret = kcall_nl_stats(&req, &args);
	else
		ret = kcall_call(op, &args, kcall_nl_encode, &req);
	if (ret)
		kcall_nl_explain(info, op, &args);
	return ret;
}

/*
 * The doits the generated op table names, kcall_nl_<command>_doit(), one
 * per own operation: ABI 3 gives each its own command, and the op table
 * says how the command carries it (input and result attributes).
 */
#define KCALL_OWN(name, ...)						\
int kcall_nl_##name##_doit(struct sk_buff *skb, struct genl_info *info)	\
{									\
	return kcall_nl_doit(&kcall_own_ops[KCALL_OWN_##name], skb, info); \
}

#include "kcall_own_ops.h"
#undef KCALL_OWN

/* Bytes of one record of a batch's reply. */
VISIBLE_IF_KUNIT size_t kcall_nl_batch_rec_size(void)
{
	return nla_total_size(0) + 2 * nla_total_size(sizeof(u32)) +
	       nla_total_size_64bit(sizeof(s64));
}
EXPORT_SYMBOL_IF_KUNIT(kcall_nl_batch_rec_size);

/*
 * A request's batch-op into @rec: its op, flags and argument. Genetlink
 * checked every nest against the nested policy before the handler ran
 * (strict validation), so a walk suffices; a record needs its op and
 * takes no reply attribute.
 */
static int kcall_nl_batch_get(struct genl_info *info, const struct nlattr *attr,
			      struct kcall_record *rec)
{
	const struct nlattr *a;
	bool has_op = false;
	int rem;

	rec->flags = 0;
	rec->arg = 0;
	nla_for_each_nested(a, attr, rem) {
		switch (nla_type(a)) {
		case KCALL_BATCH_OP_A_OP:
			rec->nr = nla_get_u32(a);
			has_op = true;
			break;
		case KCALL_BATCH_OP_A_FLAGS:
			rec->flags = nla_get_u32(a);
			break;
		case KCALL_BATCH_OP_A_ARG:
			rec->arg = nla_get_s32(a);
			break;
		case KCALL_BATCH_OP_A_ERRNO:
		case KCALL_BATCH_OP_A_RESULT:
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "errno and result are reply attributes");
			return -EINVAL;
		}
	}
	if (!has_op) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "batch-op without op");
		return -EINVAL;
	}
	return 0;
}

/* A record of the reply with the generic puts, which pad 64-bit values. */
static int kcall_nl_batch_put_padded(struct sk_buff *msg,
				     const struct kcall_record *rec)
{
	struct nlattr *nest = nla_nest_start(msg, KCALL_A_BATCH_OP);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(msg, KCALL_BATCH_OP_A_OP, rec->nr) ||
	    nla_put_u32(msg, KCALL_BATCH_OP_A_ERRNO, -rec->err) ||
	    nla_put_s64(msg, KCALL_BATCH_OP_A_RESULT, rec->result,
			KCALL_BATCH_OP_A_PAD)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/* Writes attribute @type, @len bytes of @data, at @a; the next one's place. */
static struct nlattr *kcall_nl_fill(struct nlattr *a, int type,
				    const void *data, int len)
{
	a->nla_type = type;
	a->nla_len = nla_attr_size(len);
	memcpy(nla_data(a), data, len);
	return (void *)a + nla_total_size(len);
}

/*
 * Where a record written in place has its result's data: after the nest's
 * header, op, errno and the result's own header.
 */
#define KCALL_NL_REC_RESULT \
	(NLA_HDRLEN + 2 * nla_total_size(sizeof(u32)) + NLA_HDRLEN)

/*
 * Whether a record goes in place at @tail (the skb's tail): always where
 * unaligned 64-bit accesses are efficient (@efficient_unaligned), else only
 * where its result, the s64 after the nest's header, op and errno, lands
 * 8-aligned. nla_need_padding_for_64bit() cannot tell: it asks that of an
 * attribute at the tail, not of one 24 bytes further on.
 */
VISIBLE_IF_KUNIT bool kcall_nl_batch_in_place(bool efficient_unaligned,
					      unsigned long tail)
{
	return efficient_unaligned ||
	       IS_ALIGNED(tail + KCALL_NL_REC_RESULT, 8);
}
EXPORT_SYMBOL_IF_KUNIT(kcall_nl_batch_in_place);

/*
 * A record of the reply: the nest and its op, errno and result in one
 * reservation, written in place (a batch of 32 pays 4 skb reservations
 * fewer per record).
 */
VISIBLE_IF_KUNIT int kcall_nl_batch_put_in_place(struct sk_buff *msg,
						 const struct kcall_record *rec)
{
	u32 err = -rec->err;
	struct nlattr *nest, *a;

	nest = nla_reserve(msg, KCALL_A_BATCH_OP | NLA_F_NESTED,
			   2 * nla_total_size(sizeof(u32)) +
			   nla_total_size(sizeof(s64)));
	if (!nest)
		return -EMSGSIZE;
	a = kcall_nl_fill(nla_data(nest), KCALL_BATCH_OP_A_OP, &rec->nr,
			  sizeof(rec->nr));
	a = kcall_nl_fill(a, KCALL_BATCH_OP_A_ERRNO, &err, sizeof(err));
	kcall_nl_fill(a, KCALL_BATCH_OP_A_RESULT, &rec->result,
		      sizeof(rec->result));
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(kcall_nl_batch_put_in_place);

/*
 * A record of the reply: in place where kcall_nl_batch_in_place() allows,
 * else with the generic puts, which add the pad attribute where 64-bit
 * attributes must be aligned.
 */
VISIBLE_IF_KUNIT int kcall_nl_batch_put(struct sk_buff *msg,
					const struct kcall_record *rec)
{
	bool efficient = IS_ENABLED(CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS);

	if (!kcall_nl_batch_in_place(efficient,
				     (unsigned long)skb_tail_pointer(msg)))
		return kcall_nl_batch_put_padded(msg, rec);
	return kcall_nl_batch_put_in_place(msg, rec);
}
EXPORT_SYMBOL_IF_KUNIT(kcall_nl_batch_put);

/*
 * Runs the records in order, then answers with one reply; the calls are
 * finished after the reply went out, with its failure if it did not: an
 * outcome the caller never gets is a failure, as for a single call.
 */
static int kcall_nl_batch_run(struct genl_info *info, struct kcall_args *tmpl,
			      u32 flags, struct kcall_record *recs, size_t n)
{
	struct sk_buff *msg;
	size_t done, i;
	void *hdr;
	int ret, intr;

	/* EINTR: a fatal signal stopped the run; the reply has what ran. */
	intr = kcall_batch_run_records(recs, n, tmpl,
				       flags & KCALL_BATCH_CONTINUE, &done);
	ret = 0;
	msg = genlmsg_new(done * kcall_nl_batch_rec_size(), GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto finish;
	}
	hdr = genlmsg_put_reply(msg, info, &kcall_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr) {
		nlmsg_free(msg);
		ret = -EMSGSIZE;
		goto finish;
	}
	/* Sized for every record: cannot fail. */
	for (i = 0; i < done && !ret; i++)
		ret = kcall_nl_batch_put(msg, &recs[i]);
	if (ret) {
		nlmsg_free(msg);
	} else {
		genlmsg_end(msg, hdr);
		ret = genlmsg_reply(msg, info);		/* consumes msg */
	}
finish:
	kcall_batch_finish_records(recs, done, tmpl, ret);
	return ret ? ret : intr;
}

int kcall_nl_batch_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kcall_args tmpl = {
		.transport = KCALL_EVENT_NETLINK,
		.net = genl_info_net(info),
		.skb = skb,
	};
	struct kcall_record *recs;
	const struct nlattr *attr;
	size_t n = 0;
	u32 flags = 0;
	int rem, ret;

	if (info->attrs[KCALL_A_FLAGS])
		flags = nla_get_u32(info->attrs[KCALL_A_FLAGS]);
	if (flags & ~KCALL_BATCH_CONTINUE) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KCALL_A_FLAGS],
				    "unknown flags");
		return -EINVAL;
	}
	nla_for_each_attr(attr, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(attr) != KCALL_A_BATCH_OP)
			continue;
		if (++n > KCALL_BATCH_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "more than 1024 operations");
			return -E2BIG;
		}
	}
	recs = kvmalloc_array(n ? n : 1, sizeof(*recs), GFP_KERNEL);
	if (!recs)
		return -ENOMEM;
	/* Every record is read and checked before any runs. */
	n = 0;
	nla_for_each_attr(attr, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(attr) != KCALL_A_BATCH_OP)
			continue;
		ret = kcall_nl_batch_get(info, attr, &recs[n++]);
		if (ret)
			goto out;
	}
	ret = kcall_nl_batch_run(info, &tmpl, flags, recs, n);
out:
	kvfree(recs);
	return ret;
}

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
	.mcgrps = kcall_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(kcall_genl_mcgrps),
	/* resv_start_op stays 0: strict validation for every command. */
};

int __init kcall_netlink_init(void)
{
	kcall_events_init(&kcall_genl_family, KCALL_NLGRP_EVENTS);
	kcall_genl_set_bind(&kcall_genl_family, kcall_events_bind);
	return genl_register_family(&kcall_genl_family);
}

void kcall_netlink_exit(void)
{
	/* Waits for requests in flight: they run under genl's cb_lock. */
	genl_unregister_family(&kcall_genl_family);
}
