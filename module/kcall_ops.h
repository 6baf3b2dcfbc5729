/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kcall's operations: one table (ops.c), which every transport, the
 * counters, sysfs, the tracepoint, events and the features mask read.
 * kcall_own_ops.h is the one list of kcall's own operations; what must
 * name each of them (the counters' indices, the dispatch switch, the
 * netlink doits) is generated from it, the rest reads the table.
 */
#ifndef _KCALL_OPS_H
#define _KCALL_OPS_H

#include <linux/bits.h>
#include <linux/nospec.h>
#include <linux/types.h>

#include <kcall.h>

/*
 * Each own operation's index in kcall_own_ops[]: KCALL_OWN_retparam. The
 * counters and the stats entries are in this order, which is the
 * operations' number order.
 */
enum kcall_own_index {
#define KCALL_OWN(name) KCALL_OWN_##name,
#include "kcall_own_ops.h"
#undef KCALL_OWN
	KCALL_NR_OPS
};

/*
 * Numbers an own operation may have, 1 to 62: a features bit each, below
 * the io_uring bit. KCALL_CMD_EVENT's number is no operation.
 */
#define KCALL_OWN_NR_SLOTS 63

/* struct kcall_op.flags */
#define KCALL_OPF_ADMIN		BIT(0)	/* CAP_SYS_ADMIN of caller and opener */
#define KCALL_OPF_MAY_SLEEP	BIT(1)	/* takes locks that sleep */
#define KCALL_OPF_LONG		BIT(2)	/* may run long (it reschedules) */
#define KCALL_OPF_BATCH		BIT(3)	/* batch records and io_uring carry it */

/* How the ABI 3 ioctl struct and netlink command of an own op carry it. */
enum kcall_abi3_shape {
	KCALL_ABI3_SIMPLE,	/* flags, an s32 argument, an integer result */
	KCALL_ABI3_TEXT,	/* a text in (message) */
	KCALL_ABI3_STATS,	/* the counters out */
	KCALL_ABI3_VERSION,	/* abi_version and the features mask out */
};

/* Largest ABI 3 ioctl struct (chardev.c's buffer holds any). */
#define KCALL_ABI3_IOC_MAX 32

/*
 * The ABI 3 ioctl struct struct kcall_<name>: its size, the size of its
 * first published layout, and offsets into it (0: none; offset 0 is the
 * size): an __s32 argument, a __u32 that must be zero, a result of
 * @result_size bytes (4 or 8).
 */
struct kcall_abi3_ioc {
	u8 size;
	u8 min_size;
	u8 arg;
	u8 zero;
	u8 result;
	u8 result_size;
};

/**
 * struct kcall_op - one operation
 * @name: its name ("retparam"): trace, sysfs, logs
 * @nl_missing: the extended ACK when its netlink command lacks its argument
 * @bad_arg: why an argument outside its range was refused (extended ACK)
 * @min: smallest argument the core lets through, when @ranged
 * @max: largest argument the core lets through, when @ranged
 * @in_max: longest input text, in bytes without its NUL; 0: none
 * @flags: KCALL_OPF_*
 * @nr: its number (enum kcall_cmd)
 * @index: its index in kcall_own_ops[]
 * @ranged: the core checks the argument against [@min, @max]
 * @shape: how ABI 3 carries it (enum kcall_abi3_shape)
 * @ioc: its ABI 3 ioctl struct
 * @nl_arg: its netlink input attribute, 0 for none
 * @nl_result: its netlink result attribute, 0 for none
 */
struct kcall_op {
	const char *name;
	const char *nl_missing;
	const char *bad_arg;
	s64 min;
	s64 max;
	u32 in_max;
	u32 flags;
	u8 nr;
	u8 index;
	bool ranged;
	u8 shape;
	struct kcall_abi3_ioc ioc;
	u16 nl_arg;
	u16 nl_result;
};

/* kcall's own operations, in number order (enum kcall_own_index). */
extern const struct kcall_op kcall_own_ops[KCALL_NR_OPS];

/* Own operations by number; NULL for a number that names none. */
extern const struct kcall_op *kcall_own_by_nr[KCALL_OWN_NR_SLOTS];

/* KCALL_FEATURE() of every own operation. */
extern u64 kcall_own_features;

/* Indexes the table by number; -EINVAL when the table is inconsistent. */
int kcall_ops_init(void);

/* The operation numbered @nr, or NULL. */
static inline const struct kcall_op *kcall_op_find(u32 nr)
{
	if (nr >= KCALL_OWN_NR_SLOTS)
		return NULL;
	return kcall_own_by_nr[array_index_nospec(nr, KCALL_OWN_NR_SLOTS)];
}

/*
 * Whether the operation numbered @nr may sleep or run long: io_uring runs
 * it from io-wq rather than in the submitter's io_uring_enter().
 */
bool kcall_op_may_block(u32 nr);

#endif /* _KCALL_OPS_H */
