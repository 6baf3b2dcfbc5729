// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcall_kunit.ko: KUnit suites for the pure logic of kcall.ko, one file
 * per unit it tests. Built for kernels with KUnit (the debug kernel) and
 * loaded after kcall.ko, whose exports it calls; each suite runs when the
 * module loads and leaves its KTAP results in
 * /sys/kernel/debug/kunit/<suite>/results.
 */
#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for kcall.ko");
/*
 * MODULE_IMPORT_NS() took a bare word before 6.13 and a string literal
 * since; what both expand to is this.
 */
MODULE_INFO(import_ns, "EXPORTED_FOR_KUNIT_TESTING");
