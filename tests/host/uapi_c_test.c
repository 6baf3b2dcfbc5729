/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The uapi header must compile as strict C99 (built with -std=c99 -Wall
 * -Wextra -pedantic -Werror) and its layout is frozen: these sizes and
 * offsets are the ABI, so a change here is an ABI break.
 */
#include <stddef.h>
#include <stdio.h>

#include <kcall.h>

static int checks, failures;

#define EXPECT_EQ(a, b)                                                    \
	do {                                                               \
		checks++;                                                  \
		if ((unsigned long)(a) != (unsigned long)(b)) {           \
			printf("FAIL %s == %lu, expected %lu\n", #a,       \
			       (unsigned long)(a), (unsigned long)(b));   \
			failures++;                                        \
		}                                                          \
	} while (0)

int main(void)
{
	EXPECT_EQ(sizeof(struct kcall_goodbye), 8);
	EXPECT_EQ(sizeof(struct kcall_showparams), 16);
	EXPECT_EQ(offsetof(struct kcall_showparams, value), 8);
	EXPECT_EQ(sizeof(struct kcall_retparam), 16);
	EXPECT_EQ(offsetof(struct kcall_retparam, result), 12);
	EXPECT_EQ(sizeof(struct kcall_retpid), 16);
	EXPECT_EQ(offsetof(struct kcall_retpid, pid), 12);
	EXPECT_EQ(sizeof(struct kcall_taskcount), 16);
	EXPECT_EQ(offsetof(struct kcall_taskcount, count), 8);
	EXPECT_EQ(sizeof(struct kcall_batch), 24);
	EXPECT_EQ(offsetof(struct kcall_batch, ops), 8);
	EXPECT_EQ(offsetof(struct kcall_batch, nr_ops), 16);
	EXPECT_EQ(sizeof(struct kcall_batch_op), 24);
	EXPECT_EQ(offsetof(struct kcall_batch_op, error), 12);
	EXPECT_EQ(offsetof(struct kcall_batch_op, result), 16);
	/* Fits the 16 command bytes of a 64-byte io_uring SQE. */
	EXPECT_EQ(sizeof(struct kcall_uring_cmd), 16);
	EXPECT_EQ(offsetof(struct kcall_uring_cmd, flags), 4);
	EXPECT_EQ(offsetof(struct kcall_uring_cmd, arg), 8);
	EXPECT_EQ(offsetof(struct kcall_uring_cmd, __reserved), 12);

	/* ABI 3's numbers; ABI 2's (0xCA80 + n) stay answered, deprecated. */
	EXPECT_EQ(KCALL_IOC_GOODBYE, 0xCA40);
	EXPECT_EQ(KCALL_IOC_SHOWPARAMS, 0xCA41);
	EXPECT_EQ(KCALL_IOC_RETPARAM, 0xCA42);
	EXPECT_EQ(KCALL_IOC_RETPID, 0xCA43);
	EXPECT_EQ(KCALL_IOC_TASKCOUNT, 0xCA44);
	EXPECT_EQ(KCALL_IOC_VERSION, 0xCA48);
	EXPECT_EQ(KCALL_IOC_BATCH, 0xCA4A);
	EXPECT_EQ(KCALL_CMD_BATCH, 11);
	EXPECT_EQ(KCALL_BATCH_MAX, 1024);
	EXPECT_EQ(KCALL_URING_CALL, 0xC010CA7FUL);
	EXPECT_EQ(KCALL_FEATURE_URING_CMD >> 32, 0x80000000UL);
	EXPECT_EQ(KCALL_IOC_NR_BASE_ABI2, 0x80);
	EXPECT_EQ(KCALL_RETPID_SELF, 0);
	EXPECT_EQ(KCALL_RETPID_PARENT, 1);

	printf("%d passed, %d failed\n", checks - failures, failures);
	return failures ? 1 : 0;
}
