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
#include <linux/limits.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/radix-tree.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/sysfs.h>
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
	kcall_log("showparams(%d)", kcall_arg_s32(args, 0));
	return 0;
}

static int kcall_retparam(struct kcall_args *args)
{
	args->result = kcall_arg_s32(args, 0);
	return 0;
}

static int kcall_retpid(struct kcall_args *args)
{
	if (kcall_arg_s32(args, 0) == KCALL_RETPID_SELF) {
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

#ifdef CONFIG_PROVE_RCU
/*
 * The debug kernel (lockdep's RCU checks, KASAN): a walk leaves its RCU
 * read section and resumes every walk_resume_every pids, however idle the
 * CPU, so that the checkers see the resume path, which otherwise runs
 * only when something else wants the CPU; walk_resumes counts every
 * resume, so that a test knows the path ran.
 */
static unsigned int walk_resume_every;
module_param(walk_resume_every, uint, 0644);
MODULE_PARM_DESC(walk_resume_every,
		 "Debug: resume taskcount's walk every N pids (0: only when rescheduling)");

static atomic_long_t kcall_walk_resumes = ATOMIC_LONG_INIT(0);

static int kcall_walk_resumes_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&kcall_walk_resumes));
}

/* A count, not a setting: a value at load is refused (no .set would oops). */
static int kcall_walk_resumes_set(const char *val,
				  const struct kernel_param *kp)
{
	return -EPERM;
}

static const struct kernel_param_ops kcall_walk_resumes_ops = {
	.set = kcall_walk_resumes_set,
	.get = kcall_walk_resumes_get,
};
module_param_cb(walk_resumes, &kcall_walk_resumes_ops, NULL, 0444);
MODULE_PARM_DESC(walk_resumes, "Debug: times taskcount's walk resumed");

static bool kcall_walk_resume_forced(unsigned int seen)
{
	unsigned int every = READ_ONCE(walk_resume_every);

	return every && !(seen % every);
}

static void kcall_walk_resumed(void)
{
	atomic_long_inc(&kcall_walk_resumes);
}
#else
static inline bool kcall_walk_resume_forced(unsigned int seen)
{
	return false;
}

static inline void kcall_walk_resumed(void)
{
}
#endif

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
	 *
	 * The namespace needs no pin across those pauses: current's active
	 * pid namespace is that of its own struct pid, which holds a
	 * reference on it until the task is released after its exit, and
	 * current, running here, has not exited (setns() and unshare()
	 * change only its children's).
	 */
	rcu_read_lock();
	radix_tree_for_each_slot(slot, &ns->idr.idr_rt, &iter, 0) {
		struct pid *pid = rcu_dereference_raw(*slot);
		bool forced;

		if (radix_tree_deref_retry(pid)) {
			slot = radix_tree_iter_retry(&iter);
			continue;
		}
		/* A pid still being allocated has a NULL slot. */
		if (pid &&
		    rcu_access_pointer(hlist_first_rcu(&pid->tasks[PIDTYPE_TGID])))
			n++;
		forced = kcall_walk_resume_forced(++seen);
		if (seen % KCALL_WALK_STRIDE && !forced)
			continue;
		if (fatal_signal_pending(current)) {
			rcu_read_unlock();
			return -EINTR;
		}
		if (!need_resched() && !forced)
			continue;
		kcall_walk_resumed();
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
 * defines retparam's entry (number KCALL_CMD_RETPARAM); KCALL_ARG(name,
 * S32) an argument, KCALL_ARG_RANGE(name, S32, min, max) one the core
 * keeps in [min, max]; KCALL_IOC() its ABI 3 ioctl struct, struct
 * kcall_<name>, whose first published layout ends at @_last, with
 * KCALL_IOC_ARG(), _ZERO(), _RESULT32() and _RESULT64() naming its fields.
 * The uapi layouts these offsets name are frozen (tests/host/uapi_*_test).
 */
#define KCALL_OP(_name, _NAME, ...)					\
	[KCALL_OWN_##_name] = {						\
		.name = #_name,						\
		.nr = KCALL_CMD_##_NAME,				\
		.index = KCALL_OWN_##_name,				\
		__VA_ARGS__						\
	}
#define KCALL_ARG(_name, _TYPE)						\
	{ .name = _name, .type = KCALL_TYPE_##_TYPE }
#define KCALL_ARG_RANGE(_name, _TYPE, _min, _max)			\
	{								\
		.name = _name, .type = KCALL_TYPE_##_TYPE,		\
		.ranged = true, .min = _min, .max = _max		\
	}
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

/*
 * The definitions, as written: constant, so that kcall_run_own() checks a
 * call against its op's definition with what the compiler folds from it
 * (retparam's check is two compares, as when each handler checked its own
 * argument). kcall_ops_init() copies them into kcall_own_ops[], which it
 * completes and everything else reads.
 */
static const struct kcall_op kcall_own_defs[KCALL_NR_OPS] = {
	KCALL_OP(goodbye, GOODBYE, .flags = KCALL_OPF_SIMPLE,
		 KCALL_IOC(goodbye, flags)),
	KCALL_OP(showparams, SHOWPARAMS, .flags = KCALL_OPF_SIMPLE,
		 .args = { KCALL_ARG("value", S32) },
		 KCALL_IOC(showparams, __reserved,
			   KCALL_IOC_ARG(showparams, value),
			   KCALL_IOC_ZERO(showparams, __reserved)),
		 .nl_arg = KCALL_A_VALUE),
	/*
	 * The original exercise compared an unsigned parameter, so every
	 * negative value is out of range too.
	 */
	KCALL_OP(retparam, RETPARAM, .flags = KCALL_OPF_SIMPLE,
		 .args = { KCALL_ARG_RANGE("value", S32, 0, KCALL_RETPARAM_MAX) },
		 .result = KCALL_TYPE_S32, .bad_arg = "value above 1024",
		 KCALL_IOC(retparam, result,
			   KCALL_IOC_ARG(retparam, value),
			   KCALL_IOC_RESULT32(retparam, result)),
		 .nl_arg = KCALL_A_VALUE, .nl_result = KCALL_A_RESULT),
	KCALL_OP(retpid, RETPID, .flags = KCALL_OPF_SIMPLE,
		 .args = { KCALL_ARG_RANGE("which", S32, KCALL_RETPID_SELF,
					   KCALL_RETPID_PARENT) },
		 .result = KCALL_TYPE_S32, .bad_arg = "unknown retpid selector",
		 KCALL_IOC(retpid, pid,
			   KCALL_IOC_ARG(retpid, which),
			   KCALL_IOC_RESULT32(retpid, pid)),
		 .nl_arg = KCALL_A_WHICH, .nl_result = KCALL_A_PID),
	KCALL_OP(taskcount, TASKCOUNT,
		 .flags = KCALL_OPF_SIMPLE | KCALL_OPF_LONG,
		 .result = KCALL_TYPE_U64,
		 KCALL_IOC(taskcount, count,
			   KCALL_IOC_RESULT64(taskcount, count)),
		 .nl_result = KCALL_A_COUNT),
	KCALL_OP(message, MESSAGE, .shape = KCALL_ABI3_TEXT,
		 .in_name = "text", .in_max = KCALL_MESSAGE_MAX,
		 .bad_arg = "text longer than 255 bytes",
		 KCALL_IOC(message, text), .nl_arg = KCALL_A_TEXT),
	KCALL_OP(stats, STATS, .shape = KCALL_ABI3_STATS,
		 .result = KCALL_TYPE_U32,
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
		 .result = KCALL_TYPE_U64,
		 KCALL_IOC(version, abi_version), .nl_result = KCALL_A_FEATURES),
};

/* kcall_own_defs[], completed by kcall_ops_init(), then read-only. */
struct kcall_op kcall_own_ops[KCALL_NR_OPS] __ro_after_init;
EXPORT_SYMBOL_IF_KUNIT(kcall_own_ops);

const struct kcall_op *kcall_own_by_nr[KCALL_OWN_NR_SLOTS] __ro_after_init;
EXPORT_SYMBOL_IF_KUNIT(kcall_own_by_nr);

u64 kcall_own_features __ro_after_init;
EXPORT_SYMBOL_IF_KUNIT(kcall_own_features);

/* Whether @a's range lies inside its type, lowest first. */
static bool __init kcall_arg_range_ok(const struct kcall_arg *a)
{
	switch (a->type) {
	case KCALL_TYPE_S32:
		return a->min >= S32_MIN && a->max <= S32_MAX &&
		       a->min <= a->max;
	case KCALL_TYPE_S64:
		return a->min <= a->max;
	case KCALL_TYPE_U32:
		return a->umax <= U32_MAX && a->umin <= a->umax;
	default:
		return a->umin <= a->umax;
	}
}

/*
 * Checks @op's definition and completes it: @nr_args, @ranged and the
 * netlink "missing attribute" text, which names the argument or the text.
 */
static int __init kcall_op_complete(struct kcall_op *op, unsigned int index)
{
	const char *input;
	unsigned int i;

	if (!op->name || op->index != index || !op->nr ||
	    op->nr >= KCALL_OWN_NR_SLOTS || op->nr == KCALL_CMD_EVENT ||
	    kcall_own_by_nr[op->nr] || op->result > KCALL_TYPE_U64)
		return -EINVAL;
	for (i = 0; i < KCALL_ARGS_MAX && op->args[i].type; i++) {
		const struct kcall_arg *a = &op->args[i];

		if (!a->name || a->type > KCALL_TYPE_U64 ||
		    (a->ranged && !kcall_arg_range_ok(a)))
			return -EINVAL;
		if (a->ranged)
			op->ranged |= BIT(i);
	}
	op->nr_args = i;
	/* The argument list ends at its first NONE: nothing after it. */
	for (; i < KCALL_ARGS_MAX; i++)
		if (op->args[i].type)
			return -EINVAL;
	/* Records carry one 32-bit argument and no text. */
	if ((op->flags & KCALL_OPF_BATCH) &&
	    (op->nr_args > 1 || op->in_max ||
	     (op->nr_args && op->args[0].type != KCALL_TYPE_S32 &&
	      op->args[0].type != KCALL_TYPE_U32)))
		return -EINVAL;
	input = op->in_max ? op->in_name : op->nr_args ? op->args[0].name : NULL;
	if (op->nl_arg && (!input ||
			   snprintf(op->nl_missing, sizeof(op->nl_missing),
				    "missing attribute: %s", input) >=
			   sizeof(op->nl_missing)))
		return -EINVAL;
	return 0;
}

int __init kcall_ops_init(void)
{
	unsigned int i;

	memcpy(kcall_own_ops, kcall_own_defs, sizeof(kcall_own_ops));
	for (i = 0; i < KCALL_NR_OPS; i++) {
		struct kcall_op *op = &kcall_own_ops[i];

		if (WARN(kcall_op_complete(op, i), "bad definition of op %u\n",
			 i))
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
 * Whether @v is a value of @a's type (an s32 sign-extends, a u32
 * zero-extends) inside its range, if it has one.
 */
static __always_inline bool kcall_arg_ok(const struct kcall_arg *a, u64 v)
{
	/* Every own op's argument is an s32: its test first. */
	if (likely(a->type == KCALL_TYPE_S32))
		return (s64)v == (s32)v &&
		       (!a->ranged || ((s64)v >= a->min && (s64)v <= a->max));
	switch (a->type) {
	case KCALL_TYPE_S64:
		return !a->ranged || ((s64)v >= a->min && (s64)v <= a->max);
	case KCALL_TYPE_U32:
		if (v > U32_MAX)
			return false;
		fallthrough;
	default:
		return !a->ranged || (v >= a->umin && v <= a->umax);
	}
}

/* Whether argument @i is outside its type or range (@bad_idx then set). */
static __always_inline bool kcall_arg_bad(const struct kcall_op *def,
					  struct kcall_args *args,
					  unsigned int i)
{
	if (!def->args[i].type || kcall_arg_ok(&def->args[i], args->argv[i]))
		return false;
	args->bad_idx = i;
	return true;
}

/*
 * What the definition @def declares, checked before the handler runs, in
 * the order that every transport answers: flags (every flag is reserved
 * today), privilege, each argument's type and range, the input's length.
 * These failures are the operation's, and counted as such. @def is one of
 * kcall_own_defs[] by a constant index: the loop and every test of the
 * definition fold away, leaving the compares of the values.
 */
static __always_inline int kcall_check(const struct kcall_op *def,
				       struct kcall_args *args)
{
	if (unlikely(args->flags))
		return kcall_bad(args, KCALL_BAD_FLAGS);
	if ((def->flags & KCALL_OPF_ADMIN) &&
	    !kcall_capable(args, CAP_SYS_ADMIN))
		return -EPERM;
	/*
	 * Slot by slot, not a loop, which the compiler does not unroll
	 * before it folds the definition: a slot of type NONE, as every one
	 * after the first NONE is (kcall_op_complete()), costs nothing.
	 */
	BUILD_BUG_ON(KCALL_ARGS_MAX != 6);
	if (kcall_arg_bad(def, args, 0) || kcall_arg_bad(def, args, 1) ||
	    kcall_arg_bad(def, args, 2) || kcall_arg_bad(def, args, 3) ||
	    kcall_arg_bad(def, args, 4) || kcall_arg_bad(def, args, 5))
		return kcall_bad(args, KCALL_BAD_ARG);
	/* A transport copied at most in_max + 1 bytes: longer shows as that. */
	if (unlikely(args->text_len > def->in_max))
		return kcall_bad(args, KCALL_BAD_ARG);
	return 0;
}

/*
 * Own op @index: the checks of its definition, then @handler, a constant
 * at every call site, so a direct call that inlines.
 */
static __always_inline int kcall_run_own(unsigned int index,
					 int (*handler)(struct kcall_args *),
					 struct kcall_args *args)
{
	int ret = kcall_check(&kcall_own_defs[index], args);

	return ret ? ret : handler(args);
}

/*
 * A switch generated from the list, not a call through a pointer: direct
 * calls, the handlers inline, no retpoline on every call.
 */
static __always_inline int kcall_run_op(const struct kcall_op *op,
					struct kcall_args *args)
{
	args->result = 0;
	args->bad = KCALL_BAD_NONE;
	switch (op->index) {
	/* Braced: a macro may not end in a semicolon (checkpatch). */
#define KCALL_OWN(name, ...)						\
	case KCALL_OWN_##name: {					\
		return kcall_run_own(KCALL_OWN_##name, kcall_##name, args); \
	}
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
EXPORT_SYMBOL_IF_KUNIT(kcall_run);

/*
 * A batch record's op by its number, run as kcall_run() runs it (*@op:
 * the op, or NULL for a number records do not carry). One switch on the
 * number: the cases of ops without KCALL_OPF_BATCH fold away.
 */
static __always_inline int kcall_batch_run_one(u32 nr, struct kcall_args *args,
					       const struct kcall_op **op)
{
	args->result = 0;
	args->bad = KCALL_BAD_NONE;
	switch (nr) {
#define KCALL_OWN(name, NAME)						\
	case KCALL_CMD_##NAME: {					\
		if (!(kcall_own_defs[KCALL_OWN_##name].flags &		\
		      KCALL_OPF_BATCH))					\
			break;						\
		*op = &kcall_own_ops[KCALL_OWN_##name];			\
		return kcall_run_own(KCALL_OWN_##name, kcall_##name, args); \
	}
#include "kcall_own_ops.h"
#undef KCALL_OWN
	}
	*op = NULL;
	return -EOPNOTSUPP;
}

int kcall_batch_run_records(struct kcall_record *recs, size_t n,
			    struct kcall_args *tmpl, bool keep_going, size_t *ran)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct kcall_record *rec = &recs[i];

		/*
		 * Every record is a scheduling point of its own, whatever its
		 * operation calls, and a dying caller runs no more of them.
		 */
		cond_resched();
		if (fatal_signal_pending(current)) {
			*ran = i;
			return -EINTR;
		}
		/* One args for every record: run sets what differs. */
		tmpl->flags = rec->flags;
		tmpl->argv[0] = (s64)rec->arg;
		rec->err = kcall_batch_run_one(rec->nr, tmpl, &rec->op);
		rec->result = rec->err ? 0 : (s64)tmpl->result;
		if (rec->err && !keep_going) {
			*ran = i + 1;
			return 0;
		}
	}
	*ran = n;
	return 0;
}
