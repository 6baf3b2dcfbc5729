/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kcall core: the operations, implemented once and shared by every
 * transport. A transport decodes its request into struct kcall_args, calls
 * kcall_call() in the caller's context (current is the caller) and encodes
 * the result.
 */
#ifndef _KCALL_CORE_H
#define _KCALL_CORE_H

#include <linux/types.h>

enum kcall_op {
	KCALL_OP_GOODBYE,
	KCALL_OP_SHOWPARAMS,
	KCALL_OP_RETPARAM,
	KCALL_OP_RETPID,
	KCALL_OP_TASKCOUNT,
	KCALL_OP_COUNT,
};

/* Which input a failed call rejected, so transports can point at it. */
enum kcall_bad_input {
	KCALL_BAD_NONE,
	KCALL_BAD_FLAGS,	/* flags not zero */
	KCALL_BAD_ARG,		/* the operation's argument out of its domain */
};

/**
 * struct kcall_args - one call of an operation
 * @flags: in: the operation's flags; every bit is reserved today
 * @arg: in: the argument (showparams/retparam value, retpid selector)
 * @result: out: the result on success (0 for goodbye and showparams)
 * @bad: out: on failure, the input that was rejected
 */
struct kcall_args {
	u32 flags;
	s32 arg;
	u64 result;
	enum kcall_bad_input bad;
};

/*
 * Runs @op for the current task. Returns 0 or a negative errno; the result
 * goes to @args->result, never the return value, so that no valid result
 * can be mistaken for an error.
 */
int kcall_call(enum kcall_op op, struct kcall_args *args);

#endif /* _KCALL_CORE_H */
