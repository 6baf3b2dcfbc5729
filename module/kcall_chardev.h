/* SPDX-License-Identifier: GPL-2.0-only */
/* kcall misc character device transport (/dev/kcall). */
#ifndef _KCALL_CHARDEV_H
#define _KCALL_CHARDEV_H

#include <linux/types.h>

int kcall_chardev_init(umode_t mode);
void kcall_chardev_exit(void);

#endif /* _KCALL_CHARDEV_H */
