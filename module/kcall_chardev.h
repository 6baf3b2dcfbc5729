/* SPDX-License-Identifier: GPL-2.0-only */
/* kcall misc character device transport (/dev/kcall). */
#ifndef _KCALL_CHARDEV_H
#define _KCALL_CHARDEV_H

/*
 * Static misc minor, so that kmod can create /dev/kcall before the module is
 * loaded (devname alias) and the first open loads it (char-major-10-243).
 * Unassigned in Documentation/admin-guide/devices.txt and outside the
 * dynamic ranges of 6.1 (below 128) and 6.12 (above 255).
 */
#define KCALL_MISC_MINOR 243

int kcall_chardev_init(umode_t mode);
void kcall_chardev_exit(void);

#endif /* _KCALL_CHARDEV_H */
