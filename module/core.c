// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcall core: goodbye, showparams, retparam, retpid and taskcount, as
 * described in the project's SPEC.md. Transport independent.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/idr.h>
#include <linux/nospec.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>

#include <kcall.h>

#include "kcall_core.h"

/*
 * Log lines name the caller by its pid in its own namespace and its comm.
 * They are rate limited per call site (printk's default: 10 lines per 5 s)
 * so that no user can flood the kernel log through us.
 */
#define kcall_log(fmt, ...)                                                 \
	pr_info_ratelimited(fmt " [pid %d comm %s]\n", ##__VA_ARGS__,       \
			    task_tgid_vnr(current), current->comm)

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

static int kcall_taskcount(struct kcall_args *args)
{
	struct pid_namespace *ns = task_active_pid_ns(current);
	struct pid *pid;
	u64 n = 0;
	int nr = 0;

	/*
	 * Count exactly what /proc of this namespace lists (see next_tgid()
	 * in fs/proc/base.c): every pid number of the namespace that is the
	 * id of a thread group. Walking the namespace's own pid map touches
	 * only its pids, and a container never sees the host's processes.
	 * idr lookups are RCU safe; slots of pids still being allocated are
	 * NULL and skipped by idr_get_next().
	 */
	rcu_read_lock();
	while ((pid = idr_get_next(&ns->idr, &nr))) {
		if (pid_task(pid, PIDTYPE_TGID))
			n++;
		nr++;
	}
	rcu_read_unlock();

	args->result = n;
	return 0;
}

static int (*const kcall_ops[KCALL_OP_COUNT])(struct kcall_args *args) = {
	[KCALL_OP_GOODBYE] = kcall_goodbye,
	[KCALL_OP_SHOWPARAMS] = kcall_showparams,
	[KCALL_OP_RETPARAM] = kcall_retparam,
	[KCALL_OP_RETPID] = kcall_retpid,
	[KCALL_OP_TASKCOUNT] = kcall_taskcount,
};

int kcall_call(enum kcall_op op, struct kcall_args *args)
{
	args->result = 0;
	args->bad = KCALL_BAD_NONE;

	if (WARN_ON_ONCE(op >= KCALL_OP_COUNT))
		return -EOPNOTSUPP;
	/* Every flag is reserved today: reject them all, for every op. */
	if (args->flags)
		return kcall_bad(args, KCALL_BAD_FLAGS);

	return kcall_ops[array_index_nospec(op, KCALL_OP_COUNT)](args);
}
