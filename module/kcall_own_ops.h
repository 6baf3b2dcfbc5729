/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one list of kcall's own operations, in number order, one
 * KCALL_OWN(name, NAME) each (its number is KCALL_CMD_NAME), for code
 * that must name every one of them: it defines KCALL_OWN(), includes this
 * file, and undefines it (kcall_ops.h, ops.c, netlink.c). Each has its
 * definition in ops.c's kcall_own_defs[], its handler kcall_<name>()
 * there, and, as ABI 3 gives every own operation a command of its own,
 * its netlink doit kcall_nl_<name>_doit().
 * No include guard: each inclusion expands the list anew.
 */
KCALL_OWN(goodbye, GOODBYE)
KCALL_OWN(showparams, SHOWPARAMS)
KCALL_OWN(retparam, RETPARAM)
KCALL_OWN(retpid, RETPID)
KCALL_OWN(taskcount, TASKCOUNT)
KCALL_OWN(message, MESSAGE)
KCALL_OWN(stats, STATS)
KCALL_OWN(stats_reset, STATS_RESET)
KCALL_OWN(version, VERSION)
