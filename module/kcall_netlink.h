/* SPDX-License-Identifier: GPL-2.0-only */
/* kcall generic netlink transport (family "kcall") and its events. */
#ifndef _KCALL_NETLINK_H
#define _KCALL_NETLINK_H

#include "kcall_core.h"

int kcall_netlink_init(void);
void kcall_netlink_exit(void);

/*
 * Sends the event of one finished call to the "events" group of
 * @args->net, if anybody there listens. @arg is the call's argument as
 * events report it, @ret its return value.
 */
void kcall_netlink_event(enum kcall_op op, const struct kcall_args *args,
			 s64 arg, int ret);

#endif /* _KCALL_NETLINK_H */
