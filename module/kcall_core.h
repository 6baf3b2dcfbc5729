/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kcall core: the operations, implemented once and shared by every
 * transport. A transport decodes its request into struct kcall_args, calls
 * kcall_call() in the caller's context (current is the caller) with its
 * encode step, which hands the result to the caller. kcall_call() also does
 * what every call shares: counting, tracing and the netlink event.
 */
#ifndef _KCALL_CORE_H
#define _KCALL_CORE_H

#include <linux/ratelimit.h>
#include <linux/types.h>

#include <kcall.h>

#include "kcall_ops.h"

struct file;
struct net;
struct sk_buff;

/* Which input a failed call rejected, so transports can point at it. */
enum kcall_bad_input {
	KCALL_BAD_NONE,
	KCALL_BAD_FLAGS,	/* flags not zero */
	KCALL_BAD_ARG,		/* the operation's argument out of its domain */
};

/**
 * struct kcall_args - one call of an operation
 * @flags: in: the operation's flags; every bit is reserved today
 * @argv: in: the integer arguments, in the definition's order: s32 and s64
 *	  sign-extended, u32 zero-extended (kcall_arg_s32() etc. read them);
 *	  the core checks each against its type and range
 * @text: in: message text, a kernel copy (need not be NUL-terminated)
 * @text_len: in: bytes in @text before its NUL; above KCALL_MESSAGE_MAX
 *	      when the caller's string did not end in time
 * @stats: out: stats writes KCALL_NR_OPS entries here
 * @transport: in: KCALL_EVENT_IOCTL or KCALL_EVENT_NETLINK
 * @net: in: the caller's network namespace (events exist only in the
 *	 initial one)
 * @file: in (ioctl): the open file of /dev/kcall the call came through
 * @skb: in (netlink): the request; privilege checks look at the sender
 *	 and at the socket's opener through it (netlink_capable())
 * @result: out: the result on success (0 when an op has none; version:
 *	    the features mask)
 * @bad: out: on failure, the input that was rejected (enum kcall_bad_input)
 * @bad_idx: out: with KCALL_BAD_ARG, the index of the argument rejected
 *
 * Every call zeroes one on its stack, a word per instruction (rep stosq):
 * the small fields share words.
 */
struct kcall_args {
	u32 flags;
	enum kcall_event_transport transport;
	u64 argv[KCALL_ARGS_MAX];
	const char *text;
	u32 text_len;
	u8 bad;
	u8 bad_idx;
	struct kcall_op_stats *stats;
	struct net *net;
	const struct file *file;
	const struct sk_buff *skb;
	u64 result;
};

/*
 * The two halves of kcall_call() and of a batch record: kcall_run() checks
 * @args against @op's definition (flags, privilege, the argument's range,
 * the input's length), then runs @op for the current task (0 or a negative
 * errno; the result goes to @args->result); kcall_finish() counts, traces
 * and events the call with its final outcome @ret.
 */
int kcall_run(const struct kcall_op *op, struct kcall_args *args);
void kcall_finish(const struct kcall_op *op, const struct kcall_args *args,
		  int ret);

/*
 * One record of a batch (uapi/kcall.h), as the transports hold it:
 * @nr, @flags and @arg in (what the caller sent), @op, @err and @result
 * out (kcall_batch_run_records()). @op is NULL when nothing ran: a number
 * no batch carries (@err -EOPNOTSUPP), or a record after the stop.
 */
struct kcall_record {
	u32 nr;
	u32 flags;
	s32 arg;
	const struct kcall_op *op;
	int err;
	s64 result;
};

/*
 * Runs @recs[0..@n) in order, each as kcall_run() runs it if a batch
 * carries its number (KCALL_OPF_BATCH: one int argument and result; any
 * other fails with -EOPNOTSUPP, and @op NULL: nothing ran), stopping
 * after the first that fails unless @keep_going. @tmpl carries what every
 * record shares (transport, caller). Each record is a scheduling point.
 * Sets *@ran to how many ran (the failed one included; their outcomes are
 * in the records) and returns 0, or -EINTR when a fatal signal stopped the
 * run before record *@ran.
 */
int kcall_batch_run_records(struct kcall_record *recs, size_t n,
			    struct kcall_args *tmpl, bool keep_going, size_t *ran);

/*
 * kcall_finish() of @recs[0..@n), once their outcomes were handed back
 * (@fail: 0, or the errno of handing them back, which every record that
 * ran then finishes with). Listeners are looked for once, not per record.
 */
void kcall_batch_finish_records(const struct kcall_record *recs, size_t n,
				struct kcall_args *tmpl, int fail);

/*
 * Runs @op for the current task, then @encode(@args, @ctx) to hand the
 * result to the caller (copy-out, netlink reply). Returns 0 or a negative
 * errno; the result goes to @args->result, never the return value, so that
 * no valid result can be mistaken for an error. A result the caller never
 * gets is a failure: a failing @encode fails the call. Every call is
 * counted, traced and evented once, with its final outcome.
 *
 * Inline, with @encode a constant at every call site, so that the encode
 * step is a direct call: every call of every operation pays for this
 * path, and an indirect call costs a retpoline on most machines.
 */
static __always_inline int
kcall_call(const struct kcall_op *op, struct kcall_args *args,
	   int (*encode)(const struct kcall_args *args, void *ctx), void *ctx)
{
	int ret = kcall_run(op, args);

	if (!ret)
		ret = encode(args, ctx);
	kcall_finish(op, args, ret);
	return ret;
}

/*
 * The caller's comm, for logs and events (@comm: TASK_COMM_LEN bytes):
 * current's, or, when io_uring runs the call in an io-wq worker or SQPOLL
 * thread (PF_IO_WORKER), the comm of the process that thread belongs to.
 */
void kcall_caller_comm(char *comm);

/*
 * Logs a line that starts with the caller ("[pid 213 comm \"x\"] ...");
 * kcall_log() is the same, rate limited per call site.
 */
__printf(1, 2) void kcall_log_caller(const char *fmt, ...);

#define kcall_log(fmt, ...)						\
	do {								\
		static DEFINE_RATELIMIT_STATE(_rs,			\
					      DEFAULT_RATELIMIT_INTERVAL, \
					      DEFAULT_RATELIMIT_BURST);	\
		if (__ratelimit(&_rs))					\
			kcall_log_caller(fmt, ##__VA_ARGS__);		\
	} while (0)

/*
 * Copies @len bytes of @src into @dst (@size bytes, NUL-terminated), every
 * byte but printable ASCII escaped; returns the source bytes that fit.
 */
size_t kcall_escape(char *dst, size_t size, const char *src, size_t len);

/*
 * Whether the caller holds @cap in the initial user namespace, and so does
 * whoever opened the socket or device it calls through.
 */
bool kcall_capable(const struct kcall_args *args, int cap);

#endif /* _KCALL_CORE_H */
