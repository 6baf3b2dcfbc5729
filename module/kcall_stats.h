/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kcall call counters: per operation, calls and failures since load or the
 * last reset, kept per CPU so that concurrent callers share no cache line.
 */
#ifndef _KCALL_STATS_H
#define _KCALL_STATS_H

#include <linux/percpu.h>
#include <linux/sysfs.h>

#include "kcall_core.h"

/* One CPU's counters, indexed by the op's index in kcall_own_ops[]. */
struct kcall_counters {
	u64 calls[KCALL_NR_OPS];
	u64 failures[KCALL_NR_OPS];
};

DECLARE_PER_CPU(struct kcall_counters, kcall_counters);

void kcall_stats_init(void);

/*
 * Counts one call of the op at @index that returned @ret: every call's
 * path, inline.
 */
static inline void kcall_stats_account(unsigned int index, int ret)
{
	this_cpu_inc(kcall_counters.calls[index]);
	if (ret)
		this_cpu_inc(kcall_counters.failures[index]);
}

/* Sums every CPU's counters into @out[0..KCALL_NR_OPS-1], op order. */
void kcall_stats_read(struct kcall_op_stats *out);
void kcall_stats_zero(void);

/* Read-only counters under the device: stats/<op>_calls, <op>_failures. */
extern const struct attribute_group *kcall_stats_groups[];

#endif /* _KCALL_STATS_H */
