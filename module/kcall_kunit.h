/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What kcall.ko shows its KUnit suite (module/tests/): the pure logic of
 * each unit, static in kernels without KUnit (VISIBLE_IF_KUNIT), exported
 * to the EXPORTED_FOR_KUNIT_TESTING namespace in kernels with it.
 */
#ifndef _KCALL_KUNIT_H
#define _KCALL_KUNIT_H

#include <linux/types.h>

#include "kcall_core.h"

struct sk_buff;

#if IS_ENABLED(CONFIG_KUNIT)
/* events.c */
bool kcall_ev_quiet(u64 now, u64 until);
bool kcall_ev_may_quiet(u64 stamp, u64 joined_at);
bool kcall_ev_go_quiet(u64 stamp);
unsigned int kcall_ev_nlgrp(void);
size_t kcall_ev_size(void);
int kcall_ev_put(struct sk_buff *msg, const struct kcall_op *op,
		 const struct kcall_args *args, s64 arg, int ret);

/* netlink.c */
size_t kcall_nl_reply_size(const struct kcall_op *op);
int kcall_nl_put_result(struct sk_buff *msg, const struct kcall_op *op,
			const struct kcall_args *args);
size_t kcall_nl_batch_rec_size(void);
bool kcall_nl_batch_in_place(bool efficient_unaligned, unsigned long tail);
int kcall_nl_batch_put_in_place(struct sk_buff *msg,
				const struct kcall_record *rec);
int kcall_nl_batch_put(struct sk_buff *msg, const struct kcall_record *rec);
#endif

#endif /* _KCALL_KUNIT_H */
