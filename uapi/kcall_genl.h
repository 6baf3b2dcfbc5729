/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	uapi/kcall.yaml */
/* YNL-GEN uapi header */
/* To regenerate run: tools/net/ynl/ynl-regen.sh */

#ifndef _UAPI_LINUX_KCALL_H
#define _UAPI_LINUX_KCALL_H

#define KCALL_GENL_NAME		"kcall"
#define KCALL_GENL_VERSION	1

#define KCALL_MESSAGE_MAX	255

/**
 * enum kcall_retpid_which - Argument of retpid, whose process id to return.
 * @KCALL_RETPID_SELF: getpid() of the caller
 * @KCALL_RETPID_PARENT: getppid() of the caller
 */
enum kcall_retpid_which {
	KCALL_RETPID_SELF,
	KCALL_RETPID_PARENT,
};

/**
 * enum kcall_event_transport - The transport attribute of an event, how the
 *   call arrived.
 * @KCALL_EVENT_IOCTL: an ioctl on /dev/kcall
 * @KCALL_EVENT_NETLINK: a request to the generic netlink family
 */
enum kcall_event_transport {
	KCALL_EVENT_IOCTL = 1,
	KCALL_EVENT_NETLINK,
};

enum kcall_attr {
	KCALL_A_UNSPEC,
	KCALL_A_FLAGS,
	KCALL_A_VALUE,
	KCALL_A_WHICH,
	KCALL_A_RESULT,
	KCALL_A_PID,
	KCALL_A_COUNT,
	KCALL_A_PAD,
	KCALL_A_TEXT,
	KCALL_A_STATS,
	KCALL_A_ABI_VERSION,
	KCALL_A_FEATURES,
	KCALL_A_OP,
	KCALL_A_TRANSPORT,
	KCALL_A_COMM,
	KCALL_A_ARG,
	KCALL_A_ERRNO,
	KCALL_A_RETVAL,
	KCALL_A_BATCH_OP,

	__KCALL_A_MAX
};
#define KCALL_A_MAX (__KCALL_A_MAX - 1)

enum kcall_batch_op_attr {
	KCALL_BATCH_OP_A_UNSPEC,
	KCALL_BATCH_OP_A_OP,
	KCALL_BATCH_OP_A_FLAGS,
	KCALL_BATCH_OP_A_ARG,
	KCALL_BATCH_OP_A_ERRNO,
	KCALL_BATCH_OP_A_RESULT,
	KCALL_BATCH_OP_A_PAD,

	__KCALL_BATCH_OP_A_MAX
};
#define KCALL_BATCH_OP_A_MAX (__KCALL_BATCH_OP_A_MAX - 1)

enum kcall_stats_attr {
	KCALL_STATS_A_UNSPEC,
	KCALL_STATS_A_OP,
	KCALL_STATS_A_CALLS,
	KCALL_STATS_A_FAILURES,
	KCALL_STATS_A_PAD,

	__KCALL_STATS_A_MAX
};
#define KCALL_STATS_A_MAX (__KCALL_STATS_A_MAX - 1)

enum kcall_cmd {
	KCALL_CMD_GOODBYE = 1,
	KCALL_CMD_SHOWPARAMS,
	KCALL_CMD_RETPARAM,
	KCALL_CMD_RETPID,
	KCALL_CMD_TASKCOUNT,
	KCALL_CMD_MESSAGE,
	KCALL_CMD_STATS,
	KCALL_CMD_STATS_RESET,
	KCALL_CMD_VERSION,
	KCALL_CMD_EVENT,
	KCALL_CMD_BATCH,

	__KCALL_CMD_MAX
};
#define KCALL_CMD_MAX (__KCALL_CMD_MAX - 1)

#define KCALL_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_KCALL_H */
