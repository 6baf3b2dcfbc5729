// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcall_kunit.ko: KUnit suites for the pure logic of kcall.ko, one file
 * per unit it tests. Built for kernels with KUnit (the debug kernel) and
 * loaded after kcall.ko, whose exports it calls; each suite runs when the
 * module loads and leaves its KTAP results in
 * /sys/kernel/debug/kunit/<suite>/results.
 */
#include <linux/module.h>
#include <linux/version.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for kcall.ko");
/* The namespace became a string literal in 6.13. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
#else
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
#endif
