// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcall core: goodbye, showparams, retparam, retpid, taskcount, message,
 * stats, stats_reset and version, as described in docs/SPEC.md
 * and uapi/kcall.h. Transport independent.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/capability.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/moduleparam.h>
#include <linux/netlink.h>
#include <linux/nospec.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/radix-tree.h>
#include <linux/rculist.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/user_namespace.h>
#include <kunit/visibility.h>

#include <kcall.h>

#include "kcall_core.h"
#include "kcall_events.h"
#include "kcall_kunit.h"
#include "kcall_stats.h"

#define CREATE_TRACE_POINTS
#include "kcall_trace.h"

/*
 * Longest escaped message text in a log line: with the caller and the
 * frame it stays well inside one printk record (976 bytes on 6.1), so
 * printk never cuts a line. Longer texts end in "..." after this much.
 */
#define KCALL_LOG_TEXT_MAX 640

/*
 * Copies @len bytes of @src into @dst (@size bytes, NUL-terminated) with
 * every byte that is not printable ASCII, and the quote and backslash
 * themselves, written as \xHH: the text inside quotes can neither end the
 * quotes, nor start a line, nor look like anything but text. Returns the
 * number of source bytes that fit.
 */
VISIBLE_IF_KUNIT size_t kcall_escape(char *dst, size_t size, const char *src,
				     size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = src[i];
		bool plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';

		if (o + (plain ? 1 : 4) >= size)
			break;
		if (plain) {
			dst[o++] = c;
			continue;
		}
		dst[o++] = '\\';
		dst[o++] = 'x';
		dst[o++] = hex[c >> 4];
		dst[o++] = hex[c & 0xf];
	}
	dst[o] = '\0';
	return i;
}
EXPORT_SYMBOL_IF_KUNIT(kcall_escape);

void kcall_caller_comm(char *comm)
{
	const struct task_struct *task = current;

	/* Not the worker's own "iou-wrk-<pid>": the process it works for. */
	if (task->flags & PF_IO_WORKER)
		task = task->group_leader;
	/* As get_task_comm(): a rename may race, the copy ends in NUL. */
	strscpy_pad(comm, task->comm, TASK_COMM_LEN);
}

/*
 * Log lines start with the caller, so that nothing the caller chose (its
 * text, its comm, both escaped and quoted) can push it out of the record
 * or stand in front of it: "kcall: [pid 213 comm \"kcall-raw\"] ...". The
 * kernel log is the host's, so the pid is the one of the initial pid
 * namespace; a caller in another pid namespace also shows the pid it has
 * there ("[pid 4711 nspid 1 comm ...]"). Rate limited per call site
 * (printk's default: 10 lines per 5 s) so that no user can flood the log.
 */
static __printf(1, 2) void kcall_log_caller(const char *fmt, ...)
{
	char comm[TASK_COMM_LEN * 4 + 1], raw[TASK_COMM_LEN];
	pid_t pid = task_tgid_nr(current), nspid = task_tgid_vnr(current);
	struct va_format vaf;
	va_list va;

	kcall_caller_comm(raw);
	kcall_escape(comm, sizeof(comm), raw, strnlen(raw, sizeof(raw)));
	va_start(va, fmt);
	vaf.fmt = fmt;
	vaf.va = &va;
	if (nspid != pid)
		pr_info("[pid %d nspid %d comm \"%s\"] %pV\n", pid, nspid, comm,
			&vaf);
	else
		pr_info("[pid %d comm \"%s\"] %pV\n", pid, comm, &vaf);
	va_end(va);
}

#define kcall_log(fmt, ...)						\
	do {								\
		static DEFINE_RATELIMIT_STATE(_rs,			\
					      DEFAULT_RATELIMIT_INTERVAL, \
					      DEFAULT_RATELIMIT_BURST);	\
		if (__ratelimit(&_rs))					\
			kcall_log_caller(fmt, ##__VA_ARGS__);		\
	} while (0)

static int kcall_bad(struct kcall_args *args, enum kcall_bad_input bad)
{
	args->bad = bad;
	return -EINVAL;
}

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
	/*
	 * The original exercise compared an unsigned parameter, so every
	 * negative value is out of range too.
	 */
	if ((u32)args->arg > KCALL_RETPARAM_MAX)
		return kcall_bad(args, KCALL_BAD_ARG);

	args->result = args->arg;
	return 0;
}

static int kcall_retpid(struct kcall_args *args)
{
	switch (args->arg) {
	case KCALL_RETPID_SELF:
		args->result = task_tgid_vnr(current);
		return 0;
	case KCALL_RETPID_PARENT:
		/* As getppid(): real_parent may change under us, RCU keeps it. */
		rcu_read_lock();
		args->result = task_tgid_vnr(rcu_dereference(current->real_parent));
		rcu_read_unlock();
		return 0;
	default:
		return kcall_bad(args, KCALL_BAD_ARG);
	}
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

static const struct kernel_param_ops kcall_walk_resumes_ops = {
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
		if (++seen % KCALL_WALK_STRIDE && !kcall_walk_resume_forced(seen))
			continue;
		if (fatal_signal_pending(current)) {
			rcu_read_unlock();
			return -EINTR;
		}
		if (!need_resched() && !kcall_walk_resume_forced(seen))
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

	/* The transport copied at most KCALL_MESSAGE_MAX + 1 bytes. */
	if (args->text_len > KCALL_MESSAGE_MAX)
		return kcall_bad(args, KCALL_BAD_ARG);

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

/*
 * As netlink_capable() for GENL_ADMIN_PERM: the caller must hold @cap in
 * the initial user namespace, and so must whoever opened the socket or the
 * device it calls through, so that a privileged process cannot be tricked
 * into writing to a descriptor an unprivileged one opened and passed it
 * (CVE-2014-0181 for netlink).
 */
static bool kcall_capable(const struct kcall_args *args, int cap)
{
	if (args->skb)
		return netlink_capable(args->skb, cap);
	return args->file && file_ns_capable(args->file, &init_user_ns, cap) &&
	       capable(cap);
}

static int kcall_stats_reset_op(struct kcall_args *args)
{
	/* Checked here, not per transport: both must ask for the same cap. */
	if (!kcall_capable(args, CAP_SYS_ADMIN))
		return -EPERM;

	kcall_stats_reset();
	return 0;
}

static int kcall_version(struct kcall_args *args)
{
	unsigned int op;
	u64 features = 0;

	for (op = 1; op < KCALL_OP_COUNT; op++)
		if (kcall_op_name(op))
			features |= KCALL_FEATURE(op);
	/* Not operations, but both transports take batches; /dev/kcall io_uring. */
	features |= KCALL_FEATURE(KCALL_CMD_BATCH) | KCALL_FEATURE_URING_CMD;
	args->result = features;
	return 0;
}

/* A number without a name (KCALL_CMD_EVENT's) names no operation. */
static const char *const kcall_op_names[KCALL_OP_COUNT] = {
	[KCALL_OP_GOODBYE] = "goodbye",
	[KCALL_OP_SHOWPARAMS] = "showparams",
	[KCALL_OP_RETPARAM] = "retparam",
	[KCALL_OP_RETPID] = "retpid",
	[KCALL_OP_TASKCOUNT] = "taskcount",
	[KCALL_OP_MESSAGE] = "message",
	[KCALL_OP_STATS] = "stats",
	[KCALL_OP_STATS_RESET] = "stats_reset",
	[KCALL_OP_VERSION] = "version",
};

const char *kcall_op_name(unsigned int op)
{
	if (op == 0 || op >= KCALL_OP_COUNT)
		return NULL;
	return kcall_op_names[array_index_nospec(op, KCALL_OP_COUNT)];
}

/*
 * A switch, not a table of function pointers: direct calls, no retpoline
 * on every call, and no speculation through an index into a table.
 */
int kcall_run(enum kcall_op op, struct kcall_args *args)
{
	args->result = 0;
	args->bad = KCALL_BAD_NONE;

	/* Every flag is reserved today: reject them all, for every op. */
	if (unlikely(args->flags) && kcall_op_name(op))
		return kcall_bad(args, KCALL_BAD_FLAGS);

	switch (op) {
	case KCALL_OP_GOODBYE:
		return kcall_goodbye(args);
	case KCALL_OP_SHOWPARAMS:
		return kcall_showparams(args);
	case KCALL_OP_RETPARAM:
		return kcall_retparam(args);
	case KCALL_OP_RETPID:
		return kcall_retpid(args);
	case KCALL_OP_TASKCOUNT:
		return kcall_taskcount(args);
	case KCALL_OP_MESSAGE:
		return kcall_message(args);
	case KCALL_OP_STATS:
		return kcall_stats(args);
	case KCALL_OP_STATS_RESET:
		return kcall_stats_reset_op(args);
	case KCALL_OP_VERSION:
		return kcall_version(args);
	case KCALL_OP_COUNT:
		break;
	}
	/* A transport's table names an op we do not have: a bug of ours. */
	WARN_ON_ONCE(1);
	return -EOPNOTSUPP;
}

/* The operations a batch carries: one int argument and result. */
#define KCALL_BATCH_OPS							\
	(BIT(KCALL_OP_GOODBYE) | BIT(KCALL_OP_SHOWPARAMS) |		\
	 BIT(KCALL_OP_RETPARAM) | BIT(KCALL_OP_RETPID) |		\
	 BIT(KCALL_OP_TASKCOUNT) | BIT(KCALL_OP_STATS_RESET))

/*
 * A batch record's operation, run as kcall_run() runs it (flags first):
 * a mask test and one switch on the record's number, not a switch to
 * check it and another to run it.
 */
static __always_inline enum kcall_op
kcall_batch_run_one(u32 nr, struct kcall_args *args, int *ret)
{
	args->result = 0;
	args->bad = KCALL_BAD_NONE;

	if (nr >= BITS_PER_LONG || !(KCALL_BATCH_OPS & BIT(nr))) {
		*ret = -EOPNOTSUPP;
		return 0;
	}
	if (unlikely(args->flags)) {
		*ret = kcall_bad(args, KCALL_BAD_FLAGS);
		return nr;
	}
	switch (nr) {
	case KCALL_OP_GOODBYE:
		*ret = kcall_goodbye(args);
		break;
	case KCALL_OP_SHOWPARAMS:
		*ret = kcall_showparams(args);
		break;
	case KCALL_OP_RETPARAM:
		*ret = kcall_retparam(args);
		break;
	case KCALL_OP_RETPID:
		*ret = kcall_retpid(args);
		break;
	case KCALL_OP_TASKCOUNT:
		*ret = kcall_taskcount(args);
		break;
	default:	/* KCALL_OP_STATS_RESET, the mask's last */
		*ret = kcall_stats_reset_op(args);
		break;
	}
	return nr;
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
		tmpl->arg = rec->arg;
		rec->op = kcall_batch_run_one(rec->nr, tmpl, &rec->err);
		rec->result = rec->err ? 0 : (s64)tmpl->result;
		if (rec->err && !keep_going) {
			*ran = i + 1;
			return 0;
		}
	}
	*ran = n;
	return 0;
}

/* kcall_finish(), with the listener check made by the caller (@events). */
static __always_inline void kcall_finish_events(enum kcall_op op,
						const struct kcall_args *args,
						int ret, bool events)
{
	s64 arg;

	if (!kcall_op_name(op))
		return;		/* kcall_run() warned */
	op = array_index_nospec(op, KCALL_OP_COUNT);

	/* What every call shares: its counters, trace event and netlink event. */
	kcall_stats_account(op, ret);
	arg = op == KCALL_OP_MESSAGE ? (s64)args->text_len : args->arg;
	trace_kcall_call(kcall_op_names[op], current->tgid, arg,
			 ret ? ret : (s64)args->result);
	if (events)
		kcall_event_send(op, args, arg, ret);
}

void kcall_finish(enum kcall_op op, const struct kcall_args *args, int ret)
{
	kcall_finish_events(op, args, ret, kcall_event_wanted(args));
}

void kcall_batch_finish_records(const struct kcall_record *recs, size_t n,
				struct kcall_args *tmpl, int fail)
{
	bool events = kcall_event_wanted(tmpl);
	size_t i;

	for (i = 0; i < n; i++) {
		if (!recs[i].op)
			continue;	/* nothing ran */
		tmpl->arg = recs[i].arg;
		tmpl->result = recs[i].result;
		kcall_finish_events(recs[i].op, tmpl, fail ? fail : recs[i].err,
				    events);
	}
}
