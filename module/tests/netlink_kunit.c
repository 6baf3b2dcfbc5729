// SPDX-License-Identifier: GPL-2.0-only
/*
 * netlink.c: reply sizes, and where a batch record's result lands. Replies
 * are sized exactly (genlmsg_new()), so every put must fit its size; a
 * record written in place must have its 64-bit result aligned wherever
 * alignment matters, which x86-64 and arm64 cannot show: the decision is
 * tested as a function of the tail against the layout the put writes.
 */
#include <kunit/test.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <net/netlink.h>

#include <kcall.h>

#include "kcall_core.h"
#include "kcall_kunit.h"

/* The result's data in the record at the start of @msg's data. */
static const void *kcall_kunit_result(struct kunit *test, struct sk_buff *msg,
				      unsigned int start)
{
	const struct nlattr *nest = (void *)msg->data + start, *a;
	int rem;

	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) == KCALL_BATCH_OP_A_RESULT)
			return nla_data(a);
	KUNIT_FAIL(test, "record without result");
	return NULL;
}

/*
 * For every tail modulo 8 that netlink can have (attributes are 4-aligned),
 * the decision for both kinds of architecture against the layout the
 * in-place writer produces: where unaligned access is efficient, always in
 * place; elsewhere in place exactly where the result lands 8-aligned, so
 * that every other tail takes the padded path (the decision's "!" branch).
 * Both outcomes must occur, or the test proves nothing.
 */
static void kcall_nl_batch_decision(struct kunit *test)
{
	struct kcall_record rec = { .nr = KCALL_CMD_RETPARAM, .result = -1 };
	unsigned int shift, padded = 0, in_place = 0;

	for (shift = 0; shift < 16; shift += NLA_ALIGNTO) {
		struct sk_buff *msg = alloc_skb(256, GFP_KERNEL);
		unsigned long tail;
		const void *result;
		bool aligned;

		KUNIT_ASSERT_NOT_NULL(test, msg);
		/* skb data starts 8-aligned (it is kmalloc'ed). */
		KUNIT_ASSERT_TRUE(test, IS_ALIGNED((unsigned long)msg->data, 8));
		skb_put_zero(msg, shift);
		tail = (unsigned long)skb_tail_pointer(msg);
		KUNIT_ASSERT_EQ(test, kcall_nl_batch_put_in_place(msg, &rec), 0);
		result = kcall_kunit_result(test, msg, shift);
		KUNIT_ASSERT_NOT_NULL(test, result);
		aligned = IS_ALIGNED((unsigned long)result, 8);
		KUNIT_EXPECT_TRUE_MSG(test, kcall_nl_batch_in_place(true, tail),
				      "efficient unaligned access, tail %% 8 = %lu",
				      tail % 8);
		KUNIT_EXPECT_EQ_MSG(test, kcall_nl_batch_in_place(false, tail),
				    aligned,
				    "tail %% 8 = %lu, result at tail + %lu",
				    tail % 8, (unsigned long)result - tail);
		if (kcall_nl_batch_in_place(false, tail))
			in_place++;
		else
			padded++;
		kfree_skb(msg);
	}
	KUNIT_EXPECT_GT(test, padded, 0U);
	KUNIT_EXPECT_GT(test, in_place, 0U);
}

/*
 * The put this kernel uses: its result is 8-aligned, or the architecture
 * does not need it to be.
 */
static void kcall_nl_batch_alignment(struct kunit *test)
{
	struct kcall_record rec = { .nr = KCALL_CMD_RETPARAM, .result = -1 };
	unsigned int shift;

	for (shift = 0; shift < 16; shift += NLA_ALIGNTO) {
		struct sk_buff *msg = alloc_skb(256, GFP_KERNEL);
		const void *result;
		s64 value;

		KUNIT_ASSERT_NOT_NULL(test, msg);
		skb_put_zero(msg, shift);
		KUNIT_ASSERT_EQ(test, kcall_nl_batch_put(msg, &rec), 0);
		result = kcall_kunit_result(test, msg, shift);
		KUNIT_ASSERT_NOT_NULL(test, result);
		KUNIT_EXPECT_TRUE_MSG(test,
				      IS_ENABLED(CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS) ||
				      IS_ALIGNED((unsigned long)result, 8),
				      "shift %u", shift);
		memcpy(&value, result, sizeof(value));
		KUNIT_EXPECT_EQ(test, value, -1LL);
		kfree_skb(msg);
	}
}

/* Records in a reply sized for them: every put fits, as many as a batch has. */
static void kcall_nl_batch_size(struct kunit *test)
{
	struct kcall_record rec = { .nr = KCALL_CMD_TASKCOUNT, .err = -EINVAL };
	size_t size = KCALL_BATCH_MAX * kcall_nl_batch_rec_size();
	struct sk_buff *msg;
	int i;

	msg = alloc_skb(size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, msg);
	for (i = 0; i < KCALL_BATCH_MAX; i++)
		KUNIT_ASSERT_EQ(test, kcall_nl_batch_put(msg, &rec), 0);
	KUNIT_EXPECT_LE(test, msg->len, size);
	kfree_skb(msg);
}

/* Every own operation's command reply fits kcall_nl_reply_size(). */
static void kcall_nl_reply_sizes(struct kunit *test)
{
	struct kcall_op_stats stats[KCALL_NR_OPS] = {};
	struct kcall_args args = { .result = U64_MAX, .stats = stats };
	size_t i;

	for (i = 0; i < KCALL_NR_OPS; i++) {
		const struct kcall_op *op = &kcall_own_ops[i];
		size_t size = kcall_nl_reply_size(op);
		struct sk_buff *msg = alloc_skb(size + 256, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, msg);
		KUNIT_EXPECT_EQ(test, kcall_nl_put_result(msg, op, &args), 0);
		KUNIT_EXPECT_LE_MSG(test, msg->len, size, "%s", op->name);
		kfree_skb(msg);
	}
}

static struct kunit_case kcall_netlink_cases[] = {
	KUNIT_CASE(kcall_nl_batch_decision),
	KUNIT_CASE(kcall_nl_batch_alignment),
	KUNIT_CASE(kcall_nl_batch_size),
	KUNIT_CASE(kcall_nl_reply_sizes),
	{}
};

static struct kunit_suite kcall_netlink_suite = {
	.name = "kcall_netlink",
	.test_cases = kcall_netlink_cases,
};

kunit_test_suite(kcall_netlink_suite);
