// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcall's own operations, as described in docs/SPEC.md and uapi/kcall.h:
 * their handlers, their definitions (struct kcall_op) and the dispatch
 * generated from kcall_own_ops.h. Transport independent. The core checks
 * what a definition declares (flags, privilege, the argument's range, the
 * input's length) before a handler runs, so handlers do not.
 */
#include <linux/build_bug.h>
#include <linux/capability.h>
#include <linux/errno.h>
#include <linux/idr.h>
#include <linux/init.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/radix-tree.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/stddef.h>
#include <kunit/visibility.h>

#include <kcall.h>

#include "kcall_core.h"
#include "kcall_ops.h"
#include "kcall_stats.h"

/*
 * Longest escaped message text in a log line: with the caller and the
 * frame it stays well inside one printk record (976 bytes on 6.1), so
 * printk never cuts a line. Longer texts end in "..." after this much.
 */
#define KCALL_LOG_TEXT_MAX 640

static int kcall_goodbye(struct kcall_args *args)
{
	kcall_log("Goodbye, cruel world !");
	return 0;
}

static int kcall_showparams(struct kcall_args *args)
{
	kcall_log("showparams(%d)", args->arg);
	return 0;
}

static int kcall_retparam(struct kcall_args *args)
{
	args->result = args->arg;
	return 0;
}

static int kcall_retpid(struct kcall_args *args)
{
	if (args->arg == KCALL_RETPID_SELF) {
		args->result = task_tgid_vnr(current);
		return 0;
	}
	/* As getppid(): real_parent may change under us, RCU keeps it. */
	rcu_read_lock();
	args->result = task_tgid_vnr(rcu_dereference(current->real_parent));
	rcu_read_unlock();
	return 0;
}

/*
 * Pids a walk looks at between two looks at whether it should stop for a
 * while: a few microseconds of work, so that the look costs nothing.
 */
#define KCALL_WALK_STRIDE 64

static int kcall_taskcount(struct kcall_args *args)
{
	struct pid_namespace *ns = task_active_pid_ns(current);
	struct radix_tree_iter iter;
	void __rcu **slot;
	unsigned int seen = 0;
	u64 n = 0;

	/*
	 * Count exactly what /proc of this namespace lists (see next_tgid()
	 * in fs/proc/base.c): every pid number of the namespace that is the
	 * id of a thread group (pid_task(pid, PIDTYPE_TGID) would return its
	 * task). Walking the namespace's own pid map touches only its pids,
	 * and a container never sees the host's processes. The walk is
	 * idr_for_each()'s (lib/idr.c), one pass over the tree and safe under
	 * RCU against concurrent allocation and removal, written out so that
	 * the test is inline rather than an indirect call per pid.
	 *
	 * A namespace may hold millions of pids: the walk is not one RCU read
	 * section. When the CPU is wanted elsewhere it leaves the section to
	 * reschedule and resumes at the next pid number, as a readdir of
	 * /proc resumes at the next tgid; what changed meanwhile is counted
	 * as such a readdir would list it. A fatal signal ends it.
	 */
	rcu_read_lock();
	radix_tree_for_each_slot(slot, &ns->idr.idr_rt, &iter, 0) {
		struct pid *pid = rcu_dereference_raw(*slot);

		if (radix_tree_deref_retry(pid)) {
			slot = radix_tree_iter_retry(&iter);
			continue;
		}
		/* A pid still being allocated has a NULL slot. */
		if (pid &&
		    rcu_access_pointer(hlist_first_rcu(&pid->tasks[PIDTYPE_TGID])))
			n++;
		if (++seen % KCALL_WALK_STRIDE)
			continue;
		if (fatal_signal_pending(current)) {
			rcu_read_unlock();
			return -EINTR;
		}
		if (!need_resched())
			continue;
		slot = radix_tree_iter_resume(slot, &iter);
		rcu_read_unlock();
		cond_resched();
		rcu_read_lock();
	}
	rcu_read_unlock();

	args->result = n;
	return 0;
}

static int kcall_message(struct kcall_args *args)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);
	char text[KCALL_LOG_TEXT_MAX + 1];
	size_t shown;

	/* Escaped only for lines that the rate limit lets through. */
	if (!__ratelimit(&rs))
		return 0;
	shown = kcall_escape(text, sizeof(text), args->text, args->text_len);
	kcall_log_caller("message(\"%s\"%s)", text,
			 shown < args->text_len ? "..." : "");
	return 0;
}

static int kcall_stats(struct kcall_args *args)
{
	kcall_stats_read(args->stats);
	args->result = KCALL_NR_OPS;
	return 0;
}

static int kcall_stats_reset(struct kcall_args *args)
{
	kcall_stats_zero();
	return 0;
}

static int kcall_version(struct kcall_args *args)
{
	/* Not operations, but both transports take batches; /dev/kcall io_uring. */
	args->result = kcall_own_features | KCALL_FEATURE(KCALL_CMD_BATCH) |
		       KCALL_FEATURE_URING_CMD;
	return 0;
}

/*
 * The parts of a definition, by name: KCALL_OP(retparam, RETPARAM, ...)
 * defines retparam's entry (number KCALL_CMD_RETPARAM); KCALL_ARG() its s32
 * argument with its range (KCALL_ARG_NAME(): one without); KCALL_IOC() its
 * ABI 3 ioctl struct, struct kcall_<name>, whose first published layout
 * ends at @_last, with KCALL_IOC_ARG(), _ZERO(), _RESULT32() and
 * _RESULT64() naming its fields. The uapi layouts these offsets name are
 * frozen (tests/host/uapi_*_test).
 */
#define KCALL_OP(_name, _NAME, ...)					\
	[KCALL_OWN_##_name] = {						\
		.name = #_name,						\
		.nr = KCALL_CMD_##_NAME,				\
		.index = KCALL_OWN_##_name,				\
		__VA_ARGS__						\
	}
#define KCALL_ARG_NAME(_name)						\
	.nl_missing = "missing attribute: " _name
#define KCALL_ARG(_name, _min, _max, _why)				\
	KCALL_ARG_NAME(_name), .ranged = true, .min = _min, .max = _max, \
	.bad_arg = _why
#define KCALL_IOC(_name, _last, ...)					\
	.ioc = {							\
		.size = sizeof(struct kcall_##_name) +			\
			BUILD_BUG_ON_ZERO(sizeof(struct kcall_##_name) > \
					  KCALL_ABI3_IOC_MAX),		\
		.min_size = offsetofend(struct kcall_##_name, _last),	\
		__VA_ARGS__						\
	}
#define KCALL_IOC_ARG(_name, _field)					\
	.arg = offsetof(struct kcall_##_name, _field)
#define KCALL_IOC_ZERO(_name, _field)					\
	.zero = offsetof(struct kcall_##_name, _field)
#define KCALL_IOC_RESULT32(_name, _field)				\
	.result = offsetof(struct kcall_##_name, _field),		\
	.result_size = sizeof(u32)
#define KCALL_IOC_RESULT64(_name, _field)				\
	.result = offsetof(struct kcall_##_name, _field),		\
	.result_size = sizeof(u64)

/* Batch records and io_uring commands carry one s32 and an int result. */
#define KCALL_OPF_SIMPLE KCALL_OPF_BATCH

const struct kcall_op kcall_own_ops[KCALL_NR_OPS] = {
	KCALL_OP(goodbye, GOODBYE, .flags = KCALL_OPF_SIMPLE,
		 KCALL_IOC(goodbye, flags)),
	KCALL_OP(showparams, SHOWPARAMS, .flags = KCALL_OPF_SIMPLE,
		 KCALL_ARG_NAME("value"),
		 KCALL_IOC(showparams, __reserved,
			   KCALL_IOC_ARG(showparams, value),
			   KCALL_IOC_ZERO(showparams, __reserved)),
		 .nl_arg = KCALL_A_VALUE),
	/*
	 * The original exercise compared an unsigned parameter, so every
	 * negative value is out of range too.
	 */
	KCALL_OP(retparam, RETPARAM, .flags = KCALL_OPF_SIMPLE,
		 KCALL_ARG("value", 0, KCALL_RETPARAM_MAX, "value above 1024"),
		 KCALL_IOC(retparam, result,
			   KCALL_IOC_ARG(retparam, value),
			   KCALL_IOC_RESULT32(retparam, result)),
		 .nl_arg = KCALL_A_VALUE, .nl_result = KCALL_A_RESULT),
	KCALL_OP(retpid, RETPID, .flags = KCALL_OPF_SIMPLE,
		 KCALL_ARG("which", KCALL_RETPID_SELF, KCALL_RETPID_PARENT,
			   "unknown retpid selector"),
		 KCALL_IOC(retpid, pid,
			   KCALL_IOC_ARG(retpid, which),
			   KCALL_IOC_RESULT32(retpid, pid)),
		 .nl_arg = KCALL_A_WHICH, .nl_result = KCALL_A_PID),
	KCALL_OP(taskcount, TASKCOUNT,
		 .flags = KCALL_OPF_SIMPLE | KCALL_OPF_LONG,
		 KCALL_IOC(taskcount, count,
			   KCALL_IOC_RESULT64(taskcount, count)),
		 .nl_result = KCALL_A_COUNT),
	KCALL_OP(message, MESSAGE, .shape = KCALL_ABI3_TEXT,
		 KCALL_ARG_NAME("text"), .in_max = KCALL_MESSAGE_MAX,
		 .bad_arg = "text longer than 255 bytes",
		 KCALL_IOC(message, text), .nl_arg = KCALL_A_TEXT),
	KCALL_OP(stats, STATS, .shape = KCALL_ABI3_STATS,
		 KCALL_IOC(stats, __reserved, KCALL_IOC_ZERO(stats, __reserved)),
		 .nl_result = KCALL_A_STATS),
	/*
	 * No GENL_ADMIN_PERM (uapi/kcall.yaml): the core checks
	 * CAP_SYS_ADMIN itself, for every transport alike.
	 */
	KCALL_OP(stats_reset, STATS_RESET,
		 .flags = KCALL_OPF_SIMPLE | KCALL_OPF_ADMIN |
			  KCALL_OPF_MAY_SLEEP,
		 KCALL_IOC(stats_reset, flags)),
	/* Callers that know only abi_version get just that. */
	KCALL_OP(version, VERSION, .shape = KCALL_ABI3_VERSION,
		 KCALL_IOC(version, abi_version), .nl_result = KCALL_A_FEATURES),
};
EXPORT_SYMBOL_IF_KUNIT(kcall_own_ops);

const struct kcall_op *kcall_own_by_nr[KCALL_OWN_NR_SLOTS] __ro_after_init;
EXPORT_SYMBOL_IF_KUNIT(kcall_own_by_nr);

u64 kcall_own_features __ro_after_init;

int __init kcall_ops_init(void)
{
	unsigned int i;

	for (i = 0; i < KCALL_NR_OPS; i++) {
		const struct kcall_op *op = &kcall_own_ops[i];

		/* Every entry defined, once, at its own index and number. */
		if (WARN_ON(!op->name || op->index != i || !op->nr ||
			    op->nr >= KCALL_OWN_NR_SLOTS ||
			    op->nr == KCALL_CMD_EVENT ||
			    kcall_own_by_nr[op->nr]))
			return -EINVAL;
		kcall_own_by_nr[op->nr] = op;
		kcall_own_features |= KCALL_FEATURE(op->nr);
	}
	return 0;
}

static int kcall_bad(struct kcall_args *args, enum kcall_bad_input bad)
{
	args->bad = bad;
	return -EINVAL;
}

/*
 * What the definition declares, checked before the handler runs, in the
 * order that every transport answers: flags (every flag is reserved
 * today), privilege, the argument's range, the input's length. These
 * failures are the operation's, and counted as such.
 */
static __always_inline int kcall_check(const struct kcall_op *op,
				       struct kcall_args *args)
{
	if (unlikely(args->flags))
		return kcall_bad(args, KCALL_BAD_FLAGS);
	if ((op->flags & KCALL_OPF_ADMIN) &&
	    !kcall_capable(args, CAP_SYS_ADMIN))
		return -EPERM;
	if (op->ranged && (args->arg < op->min || args->arg > op->max))
		return kcall_bad(args, KCALL_BAD_ARG);
	/* A transport copied at most in_max + 1 bytes: longer shows as that. */
	if (unlikely(args->text_len > op->in_max))
		return kcall_bad(args, KCALL_BAD_ARG);
	return 0;
}

/*
 * A switch generated from the list, not a call through a pointer: direct
 * calls, the handlers inline, no retpoline on every call.
 */
static __always_inline int kcall_run_op(const struct kcall_op *op,
					struct kcall_args *args)
{
	int ret;

	args->result = 0;
	args->bad = KCALL_BAD_NONE;
	ret = kcall_check(op, args);
	if (ret)
		return ret;
	switch (op->index) {
	/* Braced: a macro may not end in a semicolon (checkpatch). */
#define KCALL_OWN(name) case KCALL_OWN_##name: { return kcall_##name(args); }
#include "kcall_own_ops.h"
#undef KCALL_OWN
	}
	/* An index past the list: a bug of ours. */
	WARN_ON_ONCE(1);
	return -EOPNOTSUPP;
}

int kcall_run(const struct kcall_op *op, struct kcall_args *args)
{
	return kcall_run_op(op, args);
}

int kcall_batch_run_records(struct kcall_record *recs, size_t n,
			    struct kcall_args *tmpl, bool keep_going, size_t *ran)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct kcall_record *rec = &recs[i];
		const struct kcall_op *op = kcall_op_find(rec->nr);

		/*
		 * Every record is a scheduling point of its own, whatever its
		 * operation calls, and a dying caller runs no more of them.
		 */
		cond_resched();
		if (fatal_signal_pending(current)) {
			*ran = i;
			return -EINTR;
		}
		if (op && (op->flags & KCALL_OPF_BATCH)) {
			/* One args for every record: run sets what differs. */
			tmpl->flags = rec->flags;
			tmpl->arg = rec->arg;
			rec->err = kcall_run_op(op, tmpl);
			rec->op = op;
		} else {
			rec->err = -EOPNOTSUPP;
			rec->op = NULL;
		}
		rec->result = rec->err ? 0 : (s64)tmpl->result;
		if (rec->err && !keep_going) {
			*ran = i + 1;
			return 0;
		}
	}
	*ran = n;
	return 0;
}

bool kcall_op_may_block(u32 nr)
{
	const struct kcall_op *op = kcall_op_find(nr);

	return op && (op->flags & (KCALL_OPF_MAY_SLEEP | KCALL_OPF_LONG));
}
