/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kcall events: one multicast message per finished call, whichever
 * transport carried it. The core reports calls here; the netlink side
 * hands over the family and group the messages go to. Neither the core
 * nor this unit calls into a transport.
 */
#ifndef _KCALL_EVENTS_H
#define _KCALL_EVENTS_H

#include <linux/init.h>
#include <net/genetlink.h>

#include "kcall_core.h"

/*
 * How long events are not built after a multicast in the initial network
 * namespace reached nobody, and how long after a join into its group no
 * multicast starts such a quiet time (events.c).
 */
#define KCALL_EV_QUIET (HZ / 10)
#define KCALL_EV_JOIN_GRACE HZ

/* Where events go: @family's multicast group @group (its index). */
void __init kcall_events_init(struct genl_family *family, unsigned int group);

/* genl_family.bind: a socket joined group @mcgrp. */
int kcall_events_bind(int mcgrp);

/*
 * Whether anybody in the initial network namespace listens to calls that
 * come as @args came (the common case: nobody; then nothing is built). A
 * batch asks once for all its records.
 */
bool kcall_event_wanted(const struct kcall_args *args);

/*
 * Sends the event of one finished call. @arg is the call's argument as
 * events report it, @ret its return value.
 */
void kcall_event_send(const struct kcall_op *op, const struct kcall_args *args,
		      s64 arg, int ret);

#endif /* _KCALL_EVENTS_H */
