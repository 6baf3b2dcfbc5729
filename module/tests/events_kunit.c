// SPDX-License-Identifier: GPL-2.0-only
/*
 * events.c: the quiet time's tests, the join's grace, the live module's
 * go-quiet decision against a listener's join, and the event's size.
 * Stamps are 64-bit jiffies; a quiet time holds only while its end lies
 * at most KCALL_EV_QUIET ahead, so that a stamp left stale by a
 * long-lived listener (no multicast failed, no join, for 2^31 jiffies:
 * 24.8 days at HZ=1000) never silences events.
 */
#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/jiffies.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/skbuff.h>
#include <linux/sockptr.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/sock.h>

#include <kcall.h>

#include "kcall_events.h"
#include "kcall_kunit.h"

/* Where 32-bit jiffies wrap, and values on both sides of it. */
#define WRAP32 BIT_ULL(32)

static void kcall_ev_quiet_fresh(struct kunit *test)
{
	u64 now;

	for (now = WRAP32 - 2 * KCALL_EV_QUIET; now < WRAP32 + 2; now++) {
		KUNIT_EXPECT_TRUE(test, kcall_ev_quiet(now, now + KCALL_EV_QUIET));
		KUNIT_EXPECT_TRUE(test, kcall_ev_quiet(now, now + 1));
		KUNIT_EXPECT_FALSE(test, kcall_ev_quiet(now, now));
		KUNIT_EXPECT_FALSE(test, kcall_ev_quiet(now + 1, now));
	}
}

/* The stamp of a quiet time that ended long ago: never quiet again. */
static void kcall_ev_quiet_stale(struct kunit *test)
{
	static const u64 ages[] = {
		KCALL_EV_QUIET, BIT_ULL(31), BIT_ULL(31) + 1, WRAP32 - 1,
		WRAP32 + 1, BIT_ULL(BITS_PER_LONG - 1) + 1,
		BIT_ULL(63) + 1,
	};
	u64 until = INITIAL_JIFFIES + KCALL_EV_QUIET;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ages); i++)
		KUNIT_EXPECT_FALSE_MSG(test, kcall_ev_quiet(until + ages[i], until),
				       "stamp %llu jiffies old", ages[i]);
}

/* A stamp further ahead than any quiet time is stale too. */
static void kcall_ev_quiet_bounded(struct kunit *test)
{
	u64 now = INITIAL_JIFFIES;

	KUNIT_EXPECT_FALSE(test, kcall_ev_quiet(now, now + KCALL_EV_QUIET + 1));
	KUNIT_EXPECT_FALSE(test, kcall_ev_quiet(now, now + BIT_ULL(31)));
}

/*
 * A multicast that reached nobody starts a quiet time only when it was
 * stamped KCALL_EV_JOIN_GRACE or more after the last join: not in the
 * grace, not before the join (a call that started before it and failed
 * after it), on both sides of where 32-bit jiffies wrap.
 */
static void kcall_ev_join_grace(struct kunit *test)
{
	static const u64 joins[] = {
		INITIAL_JIFFIES, WRAP32 - 1, WRAP32, WRAP32 + KCALL_EV_JOIN_GRACE,
		BIT_ULL(63) - 1,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(joins); i++) {
		u64 j = joins[i];

		KUNIT_EXPECT_FALSE(test, kcall_ev_may_quiet(j, j));
		KUNIT_EXPECT_FALSE(test, kcall_ev_may_quiet(j - 1, j));
		KUNIT_EXPECT_FALSE(test, kcall_ev_may_quiet(j - HZ, j));
		KUNIT_EXPECT_FALSE(test, kcall_ev_may_quiet(j - BIT_ULL(31), j));
		KUNIT_EXPECT_FALSE(test,
				   kcall_ev_may_quiet(j + KCALL_EV_JOIN_GRACE - 1, j));
		KUNIT_EXPECT_TRUE(test,
				  kcall_ev_may_quiet(j + KCALL_EV_JOIN_GRACE, j));
		KUNIT_EXPECT_TRUE(test, kcall_ev_may_quiet(j + BIT_ULL(32), j));
	}
	/* Nobody joined yet (the stamp is 0): the quiet time works. */
	KUNIT_EXPECT_TRUE(test, kcall_ev_may_quiet(INITIAL_JIFFIES, 0));
}

KUNIT_DEFINE_ACTION_WRAPPER(kcall_sock_release, sock_release, struct socket *);

/* The error a listener's next receive would return (0: none). */
static int kcall_sk_err(const struct socket *sock)
{
	return READ_ONCE(sock->sk->sk_err);
}

/* Joins @sock to the events group, as a monitor does (0 or -errno). */
static int kcall_ev_join(struct socket *sock)
{
	unsigned int grp = kcall_ev_nlgrp();

	return sock->ops->setsockopt(sock, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				     KERNEL_SOCKPTR(&grp), sizeof(grp));
}

/*
 * The live module's go-quiet decision, with a listener of the initial
 * namespace: a kernel socket that joins the events group as a monitor
 * does. Its join (genetlink calls kcall's bind) holds the quiet time off:
 * a multicast that reached nobody, stamped before the join or within
 * KCALL_EV_JOIN_GRACE after it, starts none and tells the listener
 * nothing. One stamped after the grace starts it, and the listener, which
 * the quiet time would leave without events unawares (its filter or full
 * queue made the multicast reach nobody), gets ENOBUFS.
 */
static void kcall_ev_bind_holds_off(struct kunit *test)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	struct socket *sock;
	u64 before, after;

#ifndef KCALL_HAVE_GENL_BIND
	kunit_skip(test, "genetlink does not tell families of joins");
#endif
	KUNIT_ASSERT_EQ(test, sock_create_kern(&init_net, AF_NETLINK, SOCK_RAW,
					       NETLINK_GENERIC, &sock), 0);
	KUNIT_ASSERT_EQ(test,
			kunit_add_action_or_reset(test, kcall_sock_release,
						  sock), 0);
	/* A port id of its own: genl_set_err() skips port 0. */
	KUNIT_ASSERT_EQ(test, kernel_bind(sock, (void *)&addr, sizeof(addr)),
			0);
	before = get_jiffies_64();
	KUNIT_ASSERT_EQ(test, kcall_ev_join(sock), 0);
	after = get_jiffies_64();

	KUNIT_EXPECT_FALSE(test, kcall_ev_go_quiet(before - 1));
	KUNIT_EXPECT_FALSE(test, kcall_ev_go_quiet(before));
	KUNIT_EXPECT_FALSE(test,
			   kcall_ev_go_quiet(before + KCALL_EV_JOIN_GRACE - 1));
	KUNIT_EXPECT_EQ(test, kcall_sk_err(sock), 0);

	KUNIT_EXPECT_TRUE(test,
			  kcall_ev_go_quiet(after + KCALL_EV_JOIN_GRACE));
	KUNIT_EXPECT_EQ(test, kcall_sk_err(sock), ENOBUFS);

	/* Joining again ends the quiet time this test started. */
	KUNIT_EXPECT_EQ(test, kcall_ev_join(sock), 0);
}

/* kcall_ev_size() is what kcall_ev_put() writes, at most. */
static void kcall_ev_size_fits(struct kunit *test)
{
	const struct kcall_op *op = kcall_op_find(KCALL_CMD_RETPARAM);
	struct kcall_args args = {
		.transport = KCALL_EVENT_NETLINK,
		.result = U64_MAX,
	};
	struct sk_buff *msg;

	msg = alloc_skb(kcall_ev_size() + 256, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, msg);
	KUNIT_EXPECT_EQ(test, kcall_ev_put(msg, op, &args, S64_MIN, 0), 0);
	KUNIT_EXPECT_LE(test, msg->len, kcall_ev_size());
	kfree_skb(msg);
}

static struct kunit_case kcall_events_cases[] = {
	KUNIT_CASE(kcall_ev_quiet_fresh),
	KUNIT_CASE(kcall_ev_quiet_stale),
	KUNIT_CASE(kcall_ev_quiet_bounded),
	KUNIT_CASE(kcall_ev_join_grace),
	KUNIT_CASE(kcall_ev_bind_holds_off),
	KUNIT_CASE(kcall_ev_size_fits),
	{}
};

static struct kunit_suite kcall_events_suite = {
	.name = "kcall_events",
	.test_cases = kcall_events_cases,
};

kunit_test_suite(kcall_events_suite);
