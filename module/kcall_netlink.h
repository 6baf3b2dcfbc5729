/* SPDX-License-Identifier: GPL-2.0-only */
/* kcall generic netlink transport (family "kcall"). */
#ifndef _KCALL_NETLINK_H
#define _KCALL_NETLINK_H

int kcall_netlink_init(void);
void kcall_netlink_exit(void);

#endif /* _KCALL_NETLINK_H */
