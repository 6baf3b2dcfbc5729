// SPDX-License-Identifier: GPL-2.0-only
/*
 * ops.c: the op table and the checks the core makes against it before a
 * handler runs. Every own operation is found by its number and named once;
 * an argument outside its type or range, unknown flags, a text too long
 * and a caller without CAP_SYS_ADMIN for an ADMIN op are refused by the
 * core, in that order, whatever handler the op has.
 */
#include <kunit/test.h>
#include <linux/limits.h>
#include <linux/string.h>

#include <kcall.h>

#include "kcall_core.h"
#include "kcall_kunit.h"

/* Every entry is found by its number, has a features bit, and one name. */
static void kcall_ops_table(struct kunit *test)
{
	unsigned int i, j;

	for (i = 0; i < KCALL_NR_OPS; i++) {
		const struct kcall_op *op = &kcall_own_ops[i];

		KUNIT_EXPECT_PTR_EQ(test, kcall_op_find(op->nr), op);
		KUNIT_EXPECT_EQ(test, op->index, i);
		KUNIT_EXPECT_TRUE(test, kcall_own_features & KCALL_FEATURE(op->nr));
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_STRNEQ(test, kcall_own_ops[j].name, op->name);
	}
	KUNIT_EXPECT_NULL(test, kcall_op_find(0));
	KUNIT_EXPECT_NULL(test, kcall_op_find(KCALL_CMD_EVENT));
	KUNIT_EXPECT_NULL(test, kcall_op_find(KCALL_CMD_BATCH));
	KUNIT_EXPECT_NULL(test, kcall_op_find(KCALL_OWN_NR_SLOTS));
	KUNIT_EXPECT_NULL(test, kcall_op_find(U32_MAX));
	KUNIT_EXPECT_EQ(test, kcall_own_features & KCALL_FEATURE(KCALL_CMD_EVENT),
			0);
}

/* What kcall_ops_init() derived: the signature and the netlink texts. */
static void kcall_ops_completed(struct kunit *test)
{
	const struct kcall_op *retparam = kcall_op_find(KCALL_CMD_RETPARAM);
	const struct kcall_op *retpid = kcall_op_find(KCALL_CMD_RETPID);
	const struct kcall_op *message = kcall_op_find(KCALL_CMD_MESSAGE);
	const struct kcall_op *goodbye = kcall_op_find(KCALL_CMD_GOODBYE);

	KUNIT_ASSERT_NOT_NULL(test, retparam);
	KUNIT_ASSERT_NOT_NULL(test, retpid);
	KUNIT_ASSERT_NOT_NULL(test, message);
	KUNIT_ASSERT_NOT_NULL(test, goodbye);
	KUNIT_EXPECT_EQ(test, retparam->nr_args, 1);
	KUNIT_EXPECT_EQ(test, retparam->ranged, 1);
	KUNIT_EXPECT_EQ(test, goodbye->nr_args, 0);
	KUNIT_EXPECT_EQ(test, message->nr_args, 0);
	KUNIT_EXPECT_STREQ(test, retparam->nl_missing, "missing attribute: value");
	KUNIT_EXPECT_STREQ(test, retpid->nl_missing, "missing attribute: which");
	KUNIT_EXPECT_STREQ(test, message->nl_missing, "missing attribute: text");
	KUNIT_EXPECT_STREQ(test, goodbye->nl_missing, "");
}

/* kcall_run() of the op numbered @nr with @argv[0] = @v and @flags. */
static int kcall_kunit_run(struct kunit *test, u32 nr, u64 v, u32 flags,
			   struct kcall_args *args)
{
	const struct kcall_op *op = kcall_op_find(nr);

	KUNIT_ASSERT_NOT_NULL(test, op);
	memset(args, 0, sizeof(*args));
	args->flags = flags;
	args->argv[0] = v;
	return kcall_run(op, args);
}

/* An s32 argument: its range's bounds, and values no s32 has. */
static void kcall_ops_arg_checks(struct kunit *test)
{
	static const struct {
		u64 v;
		int ret;
	} cases[] = {
		{ 0, 0 },
		{ KCALL_RETPARAM_MAX, 0 },
		{ KCALL_RETPARAM_MAX + 1, -EINVAL },
		{ (u64)-1LL, -EINVAL },
		{ (u64)(s64)S32_MIN, -EINVAL },
		/* 1024 in the low half, but not a sign-extended s32. */
		{ BIT_ULL(32) | KCALL_RETPARAM_MAX, -EINVAL },
		{ U64_MAX - 1, -EINVAL },
	};
	struct kcall_args args;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int ret = kcall_kunit_run(test, KCALL_CMD_RETPARAM, cases[i].v,
					  0, &args);

		KUNIT_EXPECT_EQ_MSG(test, ret, cases[i].ret, "value %#llx",
				    cases[i].v);
		if (ret) {
			KUNIT_EXPECT_EQ(test, args.bad, KCALL_BAD_ARG);
			KUNIT_EXPECT_EQ(test, args.bad_idx, 0);
		} else {
			KUNIT_EXPECT_EQ(test, args.result, cases[i].v);
		}
	}
	KUNIT_EXPECT_EQ(test, kcall_kunit_run(test, KCALL_CMD_RETPID, 2, 0,
					      &args), -EINVAL);
	KUNIT_EXPECT_EQ(test, args.bad, KCALL_BAD_ARG);
	/* An op without a range takes any s32, and no more than that. */
	KUNIT_EXPECT_EQ(test, kcall_kunit_run(test, KCALL_CMD_SHOWPARAMS,
					      BIT_ULL(31), 0, &args), -EINVAL);
}

/* Flags first, then privilege, then arguments; a text longer than allowed. */
static void kcall_ops_check_order(struct kunit *test)
{
	struct kcall_args args;

	KUNIT_EXPECT_EQ(test, kcall_kunit_run(test, KCALL_CMD_RETPARAM, 5000,
					      1, &args), -EINVAL);
	KUNIT_EXPECT_EQ(test, args.bad, KCALL_BAD_FLAGS);
	KUNIT_EXPECT_EQ(test, kcall_kunit_run(test, KCALL_CMD_STATS_RESET, 0,
					      1, &args), -EINVAL);
	KUNIT_EXPECT_EQ(test, args.bad, KCALL_BAD_FLAGS);
	/* No socket and no file: nobody vouches for the opener. */
	KUNIT_EXPECT_EQ(test, kcall_kunit_run(test, KCALL_CMD_STATS_RESET, 0,
					      0, &args), -EPERM);
	KUNIT_EXPECT_EQ(test, args.bad, KCALL_BAD_NONE);

	memset(&args, 0, sizeof(args));
	args.text = "";
	args.text_len = KCALL_MESSAGE_MAX + 1;
	KUNIT_EXPECT_EQ(test, kcall_run(kcall_op_find(KCALL_CMD_MESSAGE),
					&args), -EINVAL);
	KUNIT_EXPECT_EQ(test, args.bad, KCALL_BAD_ARG);
}

static struct kunit_case kcall_ops_cases[] = {
	KUNIT_CASE(kcall_ops_table),
	KUNIT_CASE(kcall_ops_completed),
	KUNIT_CASE(kcall_ops_arg_checks),
	KUNIT_CASE(kcall_ops_check_order),
	{}
};

static struct kunit_suite kcall_ops_suite = {
	.name = "kcall_ops",
	.test_cases = kcall_ops_cases,
};

kunit_test_suite(kcall_ops_suite);
