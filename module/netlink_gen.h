/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	uapi/kcall.yaml */
/* YNL-GEN kernel header */
/* To regenerate run: tools/net/ynl/ynl-regen.sh */

#ifndef _LINUX_KCALL_GEN_H
#define _LINUX_KCALL_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/kcall_genl.h>

/* Common nested types */
extern const struct nla_policy kcall_batch_op_nl_policy[KCALL_BATCH_OP_A_PAD + 1];

extern const struct nla_policy kcall_goodbye_nl_policy[KCALL_A_FLAGS + 1];

extern const struct nla_policy kcall_showparams_nl_policy[KCALL_A_VALUE + 1];

extern const struct nla_policy kcall_retparam_nl_policy[KCALL_A_VALUE + 1];

extern const struct nla_policy kcall_retpid_nl_policy[KCALL_A_WHICH + 1];

extern const struct nla_policy kcall_taskcount_nl_policy[KCALL_A_FLAGS + 1];

extern const struct nla_policy kcall_message_nl_policy[KCALL_A_TEXT + 1];

extern const struct nla_policy kcall_stats_nl_policy[KCALL_A_FLAGS + 1];

extern const struct nla_policy kcall_stats_reset_nl_policy[KCALL_A_FLAGS + 1];

extern const struct nla_policy kcall_version_nl_policy[KCALL_A_FLAGS + 1];

extern const struct nla_policy kcall_batch_nl_policy[KCALL_A_BATCH_OP + 1];

/* Ops table for kcall */
extern const struct genl_ops kcall_nl_ops[10];

int kcall_nl_goodbye_doit(struct sk_buff *skb, struct genl_info *info);
int kcall_nl_showparams_doit(struct sk_buff *skb, struct genl_info *info);
int kcall_nl_retparam_doit(struct sk_buff *skb, struct genl_info *info);
int kcall_nl_retpid_doit(struct sk_buff *skb, struct genl_info *info);
int kcall_nl_taskcount_doit(struct sk_buff *skb, struct genl_info *info);
int kcall_nl_message_doit(struct sk_buff *skb, struct genl_info *info);
int kcall_nl_stats_doit(struct sk_buff *skb, struct genl_info *info);
int kcall_nl_stats_reset_doit(struct sk_buff *skb, struct genl_info *info);
int kcall_nl_version_doit(struct sk_buff *skb, struct genl_info *info);
int kcall_nl_batch_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	KCALL_NLGRP_EVENTS,
};

#endif /* _LINUX_KCALL_GEN_H */
