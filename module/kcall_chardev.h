/* SPDX-License-Identifier: GPL-2.0-only */
/* kcall misc character device transport (/dev/kcall). */
#ifndef _KCALL_CHARDEV_H
#define _KCALL_CHARDEV_H

#include <linux/types.h>

struct io_uring_cmd;

int kcall_chardev_init(umode_t mode);
void kcall_chardev_exit(void);

/* file_operations.uring_cmd of /dev/kcall (uring_cmd.c). */
int kcall_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags);

#endif /* _KCALL_CHARDEV_H */
