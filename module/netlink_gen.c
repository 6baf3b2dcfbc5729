// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	uapi/kcall.yaml */
/* YNL-GEN kernel source */
/* To regenerate run: tools/net/ynl/ynl-regen.sh */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink_gen.h"

#include <uapi/kcall_genl.h>

/* Common nested types */
const struct nla_policy kcall_batch_op_nl_policy[KCALL_BATCH_OP_A_PAD + 1] = {
	[KCALL_BATCH_OP_A_OP] = { .type = NLA_U32, },
	[KCALL_BATCH_OP_A_FLAGS] = { .type = NLA_U32, },
	[KCALL_BATCH_OP_A_ARG] = { .type = NLA_S32, },
	[KCALL_BATCH_OP_A_ERRNO] = { .type = NLA_U32, },
	[KCALL_BATCH_OP_A_RESULT] = { .type = NLA_S64, },
};

/* KCALL_CMD_GOODBYE - do */
const struct nla_policy kcall_goodbye_nl_policy[KCALL_A_FLAGS + 1] = {
	[KCALL_A_FLAGS] = { .type = NLA_U32, },
};

/* KCALL_CMD_SHOWPARAMS - do */
const struct nla_policy kcall_showparams_nl_policy[KCALL_A_VALUE + 1] = {
	[KCALL_A_FLAGS] = { .type = NLA_U32, },
	[KCALL_A_VALUE] = { .type = NLA_S32, },
};

/* KCALL_CMD_RETPARAM - do */
const struct nla_policy kcall_retparam_nl_policy[KCALL_A_VALUE + 1] = {
	[KCALL_A_FLAGS] = { .type = NLA_U32, },
	[KCALL_A_VALUE] = { .type = NLA_S32, },
};

/* KCALL_CMD_RETPID - do */
const struct nla_policy kcall_retpid_nl_policy[KCALL_A_WHICH + 1] = {
	[KCALL_A_FLAGS] = { .type = NLA_U32, },
	[KCALL_A_WHICH] = { .type = NLA_S32, },
};

/* KCALL_CMD_TASKCOUNT - do */
const struct nla_policy kcall_taskcount_nl_policy[KCALL_A_FLAGS + 1] = {
	[KCALL_A_FLAGS] = { .type = NLA_U32, },
};

/* KCALL_CMD_MESSAGE - do */
const struct nla_policy kcall_message_nl_policy[KCALL_A_TEXT + 1] = {
	[KCALL_A_FLAGS] = { .type = NLA_U32, },
	[KCALL_A_TEXT] = { .type = NLA_NUL_STRING, },
};

/* KCALL_CMD_STATS - do */
const struct nla_policy kcall_stats_nl_policy[KCALL_A_FLAGS + 1] = {
	[KCALL_A_FLAGS] = { .type = NLA_U32, },
};

/* KCALL_CMD_STATS_RESET - do */
const struct nla_policy kcall_stats_reset_nl_policy[KCALL_A_FLAGS + 1] = {
	[KCALL_A_FLAGS] = { .type = NLA_U32, },
};

/* KCALL_CMD_VERSION - do */
const struct nla_policy kcall_version_nl_policy[KCALL_A_FLAGS + 1] = {
	[KCALL_A_FLAGS] = { .type = NLA_U32, },
};

/* KCALL_CMD_BATCH - do */
const struct nla_policy kcall_batch_nl_policy[KCALL_A_BATCH_OP + 1] = {
	[KCALL_A_FLAGS] = { .type = NLA_U32, },
	[KCALL_A_BATCH_OP] = NLA_POLICY_NESTED(kcall_batch_op_nl_policy),
};

/* Ops table for kcall */
const struct genl_ops kcall_nl_ops[10] = {
	{
		.cmd		= KCALL_CMD_GOODBYE,
		.doit		= kcall_nl_goodbye_doit,
		.policy		= kcall_goodbye_nl_policy,
		.maxattr	= KCALL_A_FLAGS,
	},
	{
		.cmd		= KCALL_CMD_SHOWPARAMS,
		.doit		= kcall_nl_showparams_doit,
		.policy		= kcall_showparams_nl_policy,
		.maxattr	= KCALL_A_VALUE,
	},
	{
		.cmd		= KCALL_CMD_RETPARAM,
		.doit		= kcall_nl_retparam_doit,
		.policy		= kcall_retparam_nl_policy,
		.maxattr	= KCALL_A_VALUE,
	},
	{
		.cmd		= KCALL_CMD_RETPID,
		.doit		= kcall_nl_retpid_doit,
		.policy		= kcall_retpid_nl_policy,
		.maxattr	= KCALL_A_WHICH,
	},
	{
		.cmd		= KCALL_CMD_TASKCOUNT,
		.doit		= kcall_nl_taskcount_doit,
		.policy		= kcall_taskcount_nl_policy,
		.maxattr	= KCALL_A_FLAGS,
	},
	{
		.cmd		= KCALL_CMD_MESSAGE,
		.doit		= kcall_nl_message_doit,
		.policy		= kcall_message_nl_policy,
		.maxattr	= KCALL_A_TEXT,
	},
	{
		.cmd		= KCALL_CMD_STATS,
		.doit		= kcall_nl_stats_doit,
		.policy		= kcall_stats_nl_policy,
		.maxattr	= KCALL_A_FLAGS,
	},
	{
		.cmd		= KCALL_CMD_STATS_RESET,
		.doit		= kcall_nl_stats_reset_doit,
		.policy		= kcall_stats_reset_nl_policy,
		.maxattr	= KCALL_A_FLAGS,
	},
	{
		.cmd		= KCALL_CMD_VERSION,
		.doit		= kcall_nl_version_doit,
		.policy		= kcall_version_nl_policy,
		.maxattr	= KCALL_A_FLAGS,
	},
	{
		.cmd		= KCALL_CMD_BATCH,
		.doit		= kcall_nl_batch_doit,
		.policy		= kcall_batch_nl_policy,
		.maxattr	= KCALL_A_BATCH_OP,
	},
};

static const struct genl_multicast_group kcall_nl_mcgrps[] = {
	[KCALL_NLGRP_EVENTS] = { "events", },
};
