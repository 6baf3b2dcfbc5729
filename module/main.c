// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcall: syscall-style operations from a loadable module.
 *
 * This file only loads and unloads the module: it brings the transports up
 * in order (netlink family, then device) and takes them down in reverse.
 * The family comes first because every call, from either transport, may
 * send an event to its multicast group. The operations live in ops.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/stat.h>
#include <net/genetlink.h>

#include <kcall.h>

#include "kcall_chardev.h"
#include "kcall_netlink.h"
#include "kcall_ops.h"
#include "kcall_stats.h"

#define KCALL_VERSION "0.3.0"

/* The one source of the node's mode: no udev rule or tmpfiles.d sets one. */
static ushort mode = 0666;
module_param(mode, ushort, 0444);
MODULE_PARM_DESC(mode, "Permissions of /dev/kcall (default 0666; owner root:root)");

static int __init kcall_init(void)
{
	int ret;

	if (mode & ~0777) {
		pr_err("invalid mode %#o: only permission bits allowed\n", mode);
		return -EINVAL;
	}

	ret = kcall_ops_init();
	if (ret)
		return ret;
	kcall_stats_init();

	ret = kcall_netlink_init();
	if (ret)
		goto err_netlink;

	ret = kcall_chardev_init(mode);
	if (ret)
		goto err_chardev;

	pr_info("version " KCALL_VERSION " loaded (ABI %d)\n",
		KCALL_ABI_VERSION);
	return 0;

err_chardev:
	kcall_netlink_exit();
err_netlink:
	return ret;
}

static void __exit kcall_exit(void)
{
	kcall_chardev_exit();
	kcall_netlink_exit();
	pr_info("unloaded\n");
}

module_init(kcall_init);
module_exit(kcall_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Syscall-style operations over /dev/kcall and generic netlink");
MODULE_AUTHOR("The kcall developers");
MODULE_VERSION(KCALL_VERSION);
/*
 * The first lookup of the family loads the module (libkcall looks it up
 * when /dev/kcall is missing). No devname or char-major alias: those make
 * kmod create a static /dev/kcall at boot for a minor that may be
 * another driver's (see chardev.c).
 */
MODULE_ALIAS_GENL_FAMILY(KCALL_GENL_NAME);
