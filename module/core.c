// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcall core: goodbye, showparams, retparam, retpid and taskcount, as
 * described in the project's SPEC.md. Transport independent.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/idr.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

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

int kcall_op_goodbye(u32 flags)
{
	if (flags)
		return -EINVAL;

	kcall_log("Goodbye, cruel world !");
	return 0;
}

int kcall_op_showparams(u32 flags, s32 value)
{
	if (flags)
		return -EINVAL;

	kcall_log("showparams(%d)", value);
	return 0;
}

int kcall_op_retparam(u32 flags, s32 value, s32 *result)
{
	if (flags)
		return -EINVAL;
	/*
	 * The original exercise compared an unsigned parameter, so every
	 * negative value is out of range too.
	 */
	if ((u32)value > KCALL_RETPARAM_MAX)
		return -EINVAL;

	*result = value;
	return 0;
}

int kcall_op_retpid(u32 flags, s32 which, s32 *pid)
{
	if (flags)
		return -EINVAL;

	switch (which) {
	case KCALL_RETPID_SELF:
		*pid = task_tgid_vnr(current);
		return 0;
	case KCALL_RETPID_PARENT:
		/* As getppid(): real_parent may change under us, RCU keeps it. */
		rcu_read_lock();
		*pid = task_tgid_vnr(rcu_dereference(current->real_parent));
		rcu_read_unlock();
		return 0;
	default:
		return -EINVAL;
	}
}

int kcall_op_taskcount(u32 flags, u64 *count)
{
	struct pid_namespace *ns = task_active_pid_ns(current);
	struct pid *pid;
	u64 n = 0;
	int nr = 1;

	if (flags)
		return -EINVAL;

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

	*count = n;
	return 0;
}
