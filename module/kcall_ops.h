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
#define KCALL_OWN(name, ...) KCALL_OWN_##name,
#include "kcall_own_ops.h"
#undef KCALL_OWN
	KCALL_NR_OPS
};

/*
 * Numbers an own operation may have, 1 to 62: a features bit each, below
 * the io_uring bit. KCALL_CMD_EVENT's number is no operation.
 */
#define KCALL_OWN_NR_SLOTS 63

/* Integer arguments an operation takes, at most. */
#define KCALL_ARGS_MAX 6

/* The type of an argument or of a result; NONE ends an argument list. */
enum kcall_type {
	KCALL_TYPE_NONE,
	KCALL_TYPE_S32,
	KCALL_TYPE_U32,
	KCALL_TYPE_S64,
	KCALL_TYPE_U64,
};

/**
 * struct kcall_arg - one integer argument of an operation
 * @name: its name ("value"): extended ACKs, and what lists operations
 * @type: enum kcall_type; KCALL_TYPE_NONE ends the list
 * @ranged: the core refuses a value outside [@min, @max] (signed types)
 *	    or [@umin, @umax] (unsigned types) before the handler runs
 */
struct kcall_arg {
	const char *name;
	u8 type;
	bool ranged;
	union {
		struct {
			s64 min;
			s64 max;
		};
		struct {
			u64 umin;
			u64 umax;
		};
	};
};

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
 * @args: its integer arguments, in order, up to the first of type NONE
 * @result: the type of its result (enum kcall_type); NONE: it has none
 * @in_name: the name of its input text ("text")
 * @in_max: longest input text, in bytes without its NUL; 0: none
 * @bad_arg: why an argument outside its range was refused (extended ACK)
 * @flags: KCALL_OPF_*
 * @nr: its number (enum kcall_cmd)
 * @index: its index in kcall_own_ops[]
 * @nr_args: how many @args it takes (kcall_ops_init())
 * @ranged: bit i set when @args[i] has a range (kcall_ops_init())
 * @shape: how ABI 3 carries it (enum kcall_abi3_shape)
 * @ioc: its ABI 3 ioctl struct
 * @nl_arg: its netlink input attribute, 0 for none
 * @nl_result: its netlink result attribute, 0 for none
 * @nl_missing: the extended ACK when its netlink command lacks its input
 *		(kcall_ops_init())
 */
struct kcall_op {
	const char *name;
	struct kcall_arg args[KCALL_ARGS_MAX];
	u8 result;
	const char *in_name;
	u32 in_max;
	const char *bad_arg;
	u32 flags;
	u8 nr;
	u8 index;
	u8 nr_args;
	u8 ranged;
	u8 shape;
	struct kcall_abi3_ioc ioc;
	u16 nl_arg;
	u16 nl_result;
	char nl_missing[48];
};

/* kcall's own operations, in number order (enum kcall_own_index). */
extern struct kcall_op kcall_own_ops[KCALL_NR_OPS];

/* Own operations by number; NULL for a number that names none. */
extern const struct kcall_op *kcall_own_by_nr[KCALL_OWN_NR_SLOTS];

/* KCALL_FEATURE() of every own operation. */
extern u64 kcall_own_features;

/*
 * Checks every definition and completes it (@nr_args, @ranged,
 * @nl_missing), indexes the table by number; -EINVAL when a definition is
 * wrong.
 */
int kcall_ops_init(void);

/* Argument @i of a call, as the type its definition gives it. */
#define kcall_arg_s32(args, i) ((s32)(args)->argv[i])
#define kcall_arg_u32(args, i) ((u32)(args)->argv[i])
#define kcall_arg_s64(args, i) ((s64)(args)->argv[i])
#define kcall_arg_u64(args, i) ((args)->argv[i])

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
static inline bool kcall_op_may_block(u32 nr)
{
	const struct kcall_op *op = kcall_op_find(nr);

	return op && (op->flags & (KCALL_OPF_MAY_SLEEP | KCALL_OPF_LONG));
}

#endif /* _KCALL_OPS_H */
