// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcall_escape(): the text of a log line, quoted. Every byte that could
 * end the quotes, start a line or hide in a terminal is written as \xHH,
 * an escape is never cut, and the buffer's size is never passed.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "kcall_kunit.h"

static void kcall_escape_plain(struct kunit *test)
{
	char dst[16];

	KUNIT_EXPECT_EQ(test, kcall_escape(dst, sizeof(dst), "a b~", 4), 4);
	KUNIT_EXPECT_STREQ(test, dst, "a b~");
}

static void kcall_escape_specials(struct kunit *test)
{
	static const char src[] = "\"\\\n\x1b\x7f\xff\x00z";
	char dst[64];

	KUNIT_EXPECT_EQ(test, kcall_escape(dst, sizeof(dst), src,
					   sizeof(src) - 1), sizeof(src) - 1);
	KUNIT_EXPECT_STREQ(test, dst,
			   "\\x22\\x5c\\x0a\\x1b\\x7f\\xff\\x00z");
}

/* A cut falls between escapes; the count says how much of the source fits. */
static void kcall_escape_cut(struct kunit *test)
{
	char dst[8];

	/* "ab" (2) + "\x22" (4) + NUL: 7 bytes; "c" would need an 8th. */
	KUNIT_EXPECT_EQ(test, kcall_escape(dst, 7, "ab\"cd", 5), 3);
	KUNIT_EXPECT_STREQ(test, dst, "ab\\x22");
	/* One byte less: the escape does not fit whole, so not at all. */
	KUNIT_EXPECT_EQ(test, kcall_escape(dst, 6, "ab\"cd", 5), 2);
	KUNIT_EXPECT_STREQ(test, dst, "ab");
	KUNIT_EXPECT_EQ(test, kcall_escape(dst, 1, "ab", 2), 0);
	KUNIT_EXPECT_STREQ(test, dst, "");
}

/* Nothing is written past @size, whatever the source. */
static void kcall_escape_bounds(struct kunit *test)
{
	char src[64], dst[32];
	size_t size, i;

	memset(src, 0xff, sizeof(src));
	for (size = 1; size <= 16; size++) {
		memset(dst, 0xaa, sizeof(dst));
		kcall_escape(dst, size, src, sizeof(src));
		KUNIT_EXPECT_LT(test, strnlen(dst, size), size);
		for (i = size; i < sizeof(dst); i++)
			KUNIT_EXPECT_EQ(test, (u8)dst[i], 0xaa);
	}
}

static struct kunit_case kcall_escape_cases[] = {
	KUNIT_CASE(kcall_escape_plain),
	KUNIT_CASE(kcall_escape_specials),
	KUNIT_CASE(kcall_escape_cut),
	KUNIT_CASE(kcall_escape_bounds),
	{}
};

static struct kunit_suite kcall_escape_suite = {
	.name = "kcall_escape",
	.test_cases = kcall_escape_cases,
};

kunit_test_suite(kcall_escape_suite);
