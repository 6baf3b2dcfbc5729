/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one list of kcall's own operations, in number order, one
 * KCALL_OWN(name) each, for code that must name every one of them: it
 * defines KCALL_OWN(), includes this file, and undefines it (kcall_ops.h,
 * ops.c, netlink.c). Each has its definition in ops.c's kcall_own_ops[],
 * its handler kcall_<name>() there, and, as ABI 3 gives every own
 * operation a command of its own, its netlink doit kcall_nl_<name>_doit().
 * No include guard: each inclusion expands the list anew.
 */
KCALL_OWN(goodbye)
KCALL_OWN(showparams)
KCALL_OWN(retparam)
KCALL_OWN(retpid)
KCALL_OWN(taskcount)
KCALL_OWN(message)
KCALL_OWN(stats)
KCALL_OWN(stats_reset)
KCALL_OWN(version)
