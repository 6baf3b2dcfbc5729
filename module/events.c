// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcall events: one KCALL_CMD_EVENT message per finished call of any
 * operation, from either transport, to the family's "events" multicast
 * group in the initial network namespace.
 *
 * Events exist in the initial network namespace only, for callers there:
 * a listener (CAP_SYS_ADMIN in the initial user namespace) learns the
 * caller's pid in the initial pid namespace, which names the same process
 * for every such listener; a container's own netns never carries events,
 * so nobody there learns a host pid or a host process's comm, and no pid
 * of a container's namespace reaches the host mislabelled ("pid 1").
 */
#include <linux/atomic.h>
#include <linux/cache.h>
#include <linux/capability.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>
#include <linux/user_namespace.h>
#include <kunit/visibility.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netlink.h>

#include <kcall.h>

#include "kcall_compat.h"
#include "kcall_core.h"
#include "kcall_events.h"
#include "kcall_kunit.h"

static struct genl_family *kcall_ev_family __ro_after_init;
static unsigned int kcall_ev_group __ro_after_init;

/*
 * Whether anyone in the initial network namespace listens. The kernel's
 * listener bitmap is per protocol, not per namespace: a listener in any
 * namespace (an unprivileged "unshare -Urn" may join there) sets it. So
 * when a multicast in the initial namespace reached nobody, events are
 * not built again for KCALL_EV_QUIET, and a call nobody can see costs a
 * jiffies compare more, not an skb. Listeners there that did not take the
 * event are told events were lost (kcall_ev_go_quiet()).
 *
 * A join into the initial namespace's group ends the quiet time where
 * genetlink tells families of joins (kcall_compat.h); elsewhere (6.1) the
 * joiner may miss events for up to KCALL_EV_QUIET after its join returned.
 * genetlink tells us before it records the membership: a call whose
 * multicast falls in between reaches nobody and would start a quiet time
 * after the join had ended the last one. So a multicast that started
 * (its stamp is taken before it) earlier than KCALL_EV_JOIN_GRACE after
 * the last join starts none, and the joiner gets the event of every call
 * that starts after its join returned, unless its thread spent that long
 * between the two steps. Stamp and join are compared under kcall_ev_lock,
 * so that no quiet time slips in between.
 *
 * Joins by a task without CAP_SYS_ADMIN in the initial user namespace can
 * only be into another namespace's group (that of the initial one asks for
 * it): they neither end a quiet time nor hold one off. A user in their
 * own namespace cannot start one either (their calls send no event), and
 * while a listener of the initial namespace is recorded no multicast there
 * reaches nobody: nothing a user does in their own network namespace
 * silences events for the initial one's listeners, or makes its callers
 * build events for nobody more than once per KCALL_EV_QUIET.
 *
 * Stamps are 64-bit jiffies, compared signed: they do not wrap, the quiet
 * test holds only while the end lies ahead of now by at most
 * KCALL_EV_QUIET, so that no stamp, however stale, silences events, and a
 * multicast stamped before the last join is older than the join.
 */
static atomic64_t kcall_ev_quiet_until;
static u64 kcall_ev_joined_at;		/* under kcall_ev_lock */
static DEFINE_SPINLOCK(kcall_ev_lock);	/* the stamps' writers */

/*
 * /sys/module/kcall/parameters/events_join_hook: Y when genetlink tells
 * kcall of joins (the headers' probe, kcall_compat.h), so that a join ends
 * the quiet time at once; N where a joiner may miss up to KCALL_EV_QUIET
 * of events. Users and tests read it rather than guess from the kernel's
 * version. A fact of the build, not a setting: a value at load is refused.
 */
static int kcall_ev_join_hook_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%c\n", KCALL_GENL_TELLS_JOINS ? 'Y' : 'N');
}

static int kcall_ev_join_hook_set(const char *val,
				  const struct kernel_param *kp)
{
	return -EPERM;
}

static const struct kernel_param_ops kcall_ev_join_hook_ops = {
	.set = kcall_ev_join_hook_set,
	.get = kcall_ev_join_hook_get,
};
module_param_cb(events_join_hook, &kcall_ev_join_hook_ops, NULL, 0444);
MODULE_PARM_DESC(events_join_hook,
		 "Whether a join ends the events quiet time at once (RO)");

/* Whether events are not built at @now, the quiet time ending at @until. */
VISIBLE_IF_KUNIT bool kcall_ev_quiet(u64 now, u64 until)
{
	return until - now - 1 < KCALL_EV_QUIET;
}
EXPORT_SYMBOL_IF_KUNIT(kcall_ev_quiet);

/*
 * Whether a multicast stamped @stamp that reached nobody may start a quiet
 * time, the last join of the initial namespace's group at @joined_at.
 */
VISIBLE_IF_KUNIT bool kcall_ev_may_quiet(u64 stamp, u64 joined_at)
{
	return time_after_eq64(stamp, joined_at + KCALL_EV_JOIN_GRACE);
}
EXPORT_SYMBOL_IF_KUNIT(kcall_ev_may_quiet);

void __init kcall_events_init(struct genl_family *family, unsigned int group)
{
	kcall_ev_family = family;
	kcall_ev_group = group;
	atomic64_set(&kcall_ev_quiet_until, get_jiffies_64());
}

int kcall_events_bind(int mcgrp)
{
	u64 now;

	/*
	 * A join into the initial namespace's group needs it (genetlink
	 * checked); a join without it is into another namespace's.
	 */
	if (!ns_capable_noaudit(&init_user_ns, CAP_SYS_ADMIN))
		return 0;
	now = get_jiffies_64();
	spin_lock(&kcall_ev_lock);
	kcall_ev_joined_at = now;
	atomic64_set(&kcall_ev_quiet_until, now);
	spin_unlock(&kcall_ev_lock);
	return 0;
}

/*
 * A multicast stamped @stamp reached nobody: no events for a while, unless
 * a join holds the quiet time off. Returns whether this call started it.
 *
 * Nobody is not always nobody: a listener of the initial namespace whose
 * socket filter dropped the event, or whose receive queue was full, is not
 * counted as reached either, and would miss the quiet time's events
 * unawares. So a quiet time that starts tells the group's listeners in the
 * initial namespace that events were lost, as a failed allocation does; a
 * listener that exists gets ENOBUFS, one that does not costs a list walk.
 */
VISIBLE_IF_KUNIT bool kcall_ev_go_quiet(u64 stamp)
{
	bool quiet;

	spin_lock(&kcall_ev_lock);
	quiet = kcall_ev_may_quiet(stamp, kcall_ev_joined_at);
	if (quiet)
		atomic64_set(&kcall_ev_quiet_until, stamp + KCALL_EV_QUIET);
	spin_unlock(&kcall_ev_lock);
	if (quiet)
		genl_set_err(kcall_ev_family, &init_net, 0, kcall_ev_group,
			     -ENOBUFS);
	return quiet;
}
EXPORT_SYMBOL_IF_KUNIT(kcall_ev_go_quiet);

#if IS_ENABLED(CONFIG_KUNIT)
/* The events group's number, as a socket joins it (NETLINK_ADD_MEMBERSHIP). */
unsigned int kcall_ev_nlgrp(void)
{
	return kcall_ev_family->mcgrp_offset + kcall_ev_group;
}
EXPORT_SYMBOL_IF_KUNIT(kcall_ev_nlgrp);
#endif

/* Bytes of an event's payload. */
VISIBLE_IF_KUNIT size_t kcall_ev_size(void)
{
	return 3 * nla_total_size(sizeof(u32)) +	/* op, transport, errno */
	       nla_total_size(sizeof(s32)) +		/* pid */
	       nla_total_size(TASK_COMM_LEN) +		/* comm */
	       2 * nla_total_size_64bit(sizeof(s64));	/* arg, retval */
}
EXPORT_SYMBOL_IF_KUNIT(kcall_ev_size);

VISIBLE_IF_KUNIT int kcall_ev_put(struct sk_buff *msg,
				  const struct kcall_op *op,
				  const struct kcall_args *args, s64 arg, int ret)
{
	char comm[TASK_COMM_LEN];

	kcall_caller_comm(comm);
	/* Listeners are in the initial namespaces: so is the pid. */
	if (nla_put_u32(msg, KCALL_A_OP, op->nr) ||
	    nla_put_u32(msg, KCALL_A_TRANSPORT, args->transport) ||
	    nla_put_s32(msg, KCALL_A_PID, task_tgid_nr(current)) ||
	    nla_put_string(msg, KCALL_A_COMM, comm) ||
	    nla_put_s64(msg, KCALL_A_ARG, arg, KCALL_A_PAD) ||
	    nla_put_u32(msg, KCALL_A_ERRNO, -ret) ||
	    nla_put_s64(msg, KCALL_A_RETVAL, ret ? 0 : (s64)args->result,
			KCALL_A_PAD))
		return -EMSGSIZE;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(kcall_ev_put);

bool kcall_event_wanted(const struct kcall_args *args)
{
	struct genl_family *family = kcall_ev_family;

	return family && args->net && net_eq(args->net, &init_net) &&
	       genl_has_listeners(family, &init_net, kcall_ev_group) &&
	       !kcall_ev_quiet(get_jiffies_64(),
			       atomic64_read(&kcall_ev_quiet_until));
}

void kcall_event_send(const struct kcall_op *op, const struct kcall_args *args,
		      s64 arg, int ret)
{
	struct genl_family *family = kcall_ev_family;
	struct sk_buff *msg;
	void *hdr;
	u64 stamp;

	msg = genlmsg_new(kcall_ev_size(), GFP_KERNEL);
	if (!msg)
		goto lost;
	hdr = genlmsg_put(msg, 0, 0, family, 0, KCALL_CMD_EVENT);
	if (!hdr || kcall_ev_put(msg, op, args, arg, ret)) {
		nlmsg_free(msg);
		goto lost;
	}
	genlmsg_end(msg, hdr);
	/* Before the multicast: a join after this stamp outranks it. */
	stamp = get_jiffies_64();
	/*
	 * Consumes msg. ESRCH: the listeners are in other namespaces, or
	 * those of this one did not take it (kcall_ev_go_quiet()).
	 */
	if (genlmsg_multicast_netns(family, &init_net, msg, 0, kcall_ev_group,
				    GFP_KERNEL) == -ESRCH)
		kcall_ev_go_quiet(stamp);
	return;
lost:
	/* Listeners see ENOBUFS on their socket: an event was lost. */
	genl_set_err(family, &init_net, 0, kcall_ev_group, -ENOBUFS);
}
