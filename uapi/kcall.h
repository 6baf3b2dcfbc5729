/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * kcall - syscall-style operations from a loadable module.
 *
 * This header is the whole ABI between the kcall module and user space.
 * It is shared verbatim by the kernel module, C and C++ programs.
 * What each operation does is the project's contract, docs/SPEC.md;
 * kcall(4) describes this interface in prose.
 *
 * Character device /dev/kcall
 * ---------------------------
 * Every ioctl takes a pointer to an argument struct whose first member is
 * "__u32 size", set by the caller to sizeof() of the struct it was built
 * with. The ioctl numbers use _IO() so that the size is not part of the
 * number, which lets a struct grow at its end (iommufd style):
 *
 *  - size smaller than the first published layout       -> EINVAL
 *  - size smaller than the module's layout (old binary)  -> missing tail
 *    reads as zero; output is written only up to size
 *  - size larger than the module's layout (new binary)   -> the extra bytes
 *    must be zero, else E2BIG
 *
 * "flags" and "__reserved*" members must be zero (EINVAL otherwise); output
 * members are ignored on input and always written on success. An unknown
 * ioctl number gives ENOTTY, an unreadable or unwritable argument EFAULT.
 * Results come back in the struct; the ioctl itself returns 0 or -1/errno.
 *
 * Generic netlink family "kcall"
 * ------------------------------
 * The same operations as commands of the family KCALL_GENL_NAME. Each
 * request carries the operation's input attribute (and optionally
 * KCALL_A_FLAGS, which must be 0); each success is answered with a message
 * of the same command carrying the result attribute, each failure with a
 * netlink error of the same errno as the ioctl path plus an extended ACK
 * message naming the attribute or the reason. Unknown commands give
 * EOPNOTSUPP; missing, unknown or malformed attributes EINVAL. The family
 * works in every network namespace; pids are those of the caller's pid
 * namespace. uapi/kcall.yaml describes it for the kernel's YNL tools.
 */
#ifndef _UAPI_KCALL_H
#define _UAPI_KCALL_H

#include <linux/ioctl.h>
#include <linux/types.h>

/*
 * The netlink family's names and enums (enum kcall_cmd, enum kcall_attr,
 * enum kcall_stats_attr, KCALL_GENL_NAME, KCALL_GENL_VERSION,
 * KCALL_MCGRP_EVENTS), enum kcall_retpid_which, enum kcall_event_transport
 * and KCALL_MESSAGE_MAX, generated from uapi/kcall.yaml, which documents
 * every attribute and command.
 */
#include "kcall_genl.h"

/* Device node name, relative to /dev. */
#define KCALL_DEVICE_NAME "kcall"

/*
 * ABI version. Bumped when operations are added or ioctl numbers move;
 * existing operations and layouts never change incompatibly. 3: the ioctl
 * numbers moved to 0x40 (ABI 2's stay answered, deprecated).
 */
#define KCALL_ABI_VERSION 3

/*
 * Operation numbers. The same number names an operation everywhere: it is
 * the generic netlink command (enum kcall_cmd), the ioctl number is
 * KCALL_IOC_NR_BASE + number - 1 (0x40 + number - 1; ABI 2's 0x80 + number - 1
 * still works, deprecated), bit "number" of the features mask says
 * the module has it, and stats and events identify operations by it.
 */
#define KCALL_FEATURE(op) (1ULL << (op))

/* Largest value retparam accepts (compared as unsigned). */
#define KCALL_RETPARAM_MAX 1024

/**
 * struct kcall_goodbye - log "Goodbye, cruel world !"
 * @size: sizeof(struct kcall_goodbye)
 * @flags: must be 0
 */
struct kcall_goodbye {
	__u32 size;
	__u32 flags;
};

/**
 * struct kcall_showparams - log "showparams(<value>)"
 * @size: sizeof(struct kcall_showparams)
 * @flags: must be 0
 * @value: value to log, as signed decimal
 * @__reserved: must be 0
 */
struct kcall_showparams {
	__u32 size;
	__u32 flags;
	__s32 value;
	__u32 __reserved;
};

/**
 * struct kcall_retparam - return the argument if (unsigned)value <= 1024
 * @size: sizeof(struct kcall_retparam)
 * @flags: must be 0
 * @value: input value; EINVAL when (__u32)value > KCALL_RETPARAM_MAX
 * @result: output, equal to @value on success
 */
struct kcall_retparam {
	__u32 size;
	__u32 flags;
	__s32 value;
	__s32 result;
};

/**
 * struct kcall_retpid - return the caller's or its parent's process id
 * @size: sizeof(struct kcall_retpid)
 * @flags: must be 0
 * @which: an enum kcall_retpid_which value; EINVAL otherwise
 * @pid: output, in the caller's pid namespace (0 if the parent is outside)
 */
struct kcall_retpid {
	__u32 size;
	__u32 flags;
	__s32 which;
	__s32 pid;
};

/**
 * struct kcall_taskcount - count processes in the caller's pid namespace
 * @size: sizeof(struct kcall_taskcount)
 * @flags: must be 0 (reserved for counting modes)
 * @count: output, number of thread-group leaders visible in the caller's
 *	   pid namespace (what "ps -e" lists)
 *
 * Fails with EINTR when a fatal signal stopped the walk: the caller is
 * dying and never sees it; the call is counted, traced and evented as a
 * failure.
 */
struct kcall_taskcount {
	__u32 size;
	__u32 flags;
	__u64 count;
};

/**
 * struct kcall_message - log a string (ABI 2)
 * @size: sizeof(struct kcall_message)
 * @flags: must be 0
 * @text: user pointer (as __u64) to a NUL-terminated string of at most
 *	  KCALL_MESSAGE_MAX bytes; longer -> EINVAL, unreadable -> EFAULT.
 *	  The text ends at its first NUL; "" is a valid (empty) message.
 *	  It is logged after the caller, escaped (\xHH) and quoted.
 */
struct kcall_message {
	__u32 size;
	__u32 flags;
	__u64 text;
};

/**
 * struct kcall_op_stats - call counters of one operation (ABI 2)
 * @op: operation number (enum kcall_cmd)
 * @__reserved: written as 0
 * @calls: calls that reached the operation since load or the last reset
 * @failures: those of @calls that failed
 *
 * A request the transport rejects before the operation runs (bad pointer,
 * bad size, attribute refused by the netlink policy) is not counted.
 */
struct kcall_op_stats {
	__u32 op;
	__u32 __reserved;
	__u64 calls;
	__u64 failures;
};

/**
 * struct kcall_stats - read the per-operation call counters (ABI 2)
 * @size: sizeof(struct kcall_stats)
 * @flags: must be 0
 * @entries: user pointer (as __u64) to an array of struct kcall_op_stats
 * @nr_entries: in: entries the array holds; out: operations the module
 *		counts. The module fills min(in, out) entries, so a caller
 *		whose array was too small learns how large to make it.
 * @__reserved: must be 0
 */
struct kcall_stats {
	__u32 size;
	__u32 flags;
	__u64 entries;
	__u32 nr_entries;
	__u32 __reserved;
};

/**
 * struct kcall_stats_reset - zero every counter; needs CAP_SYS_ADMIN of the
 * caller and of the opener of the file descriptor (ABI 2)
 * @size: sizeof(struct kcall_stats_reset)
 * @flags: must be 0
 */
struct kcall_stats_reset {
	__u32 size;
	__u32 flags;
};

/**
 * struct kcall_version - what the module supports (ABI 2)
 * @size: sizeof(struct kcall_version); callers built with only the
 *	  fields up to @abi_version get just that
 * @flags: must be 0
 * @abi_version: KCALL_ABI_VERSION of the module
 * @__reserved: written as 0
 * @features: KCALL_FEATURE(op) for every operation the module has
 */
struct kcall_version {
	__u32 size;
	__u32 flags;
	__u32 abi_version;
	__u32 __reserved;
	__u64 features;
};

/*
 * Batches: many operations with one ioctl (KCALL_IOC_BATCH) or one netlink
 * request (KCALL_CMD_BATCH). A batch is not an operation of its own (no
 * counters, no events, no trace line of its own); the features mask's bit
 * KCALL_FEATURE(KCALL_CMD_BATCH) says the module has it. Each of its
 * operations runs, and is counted, traced and evented, exactly as the same
 * single call would be, in the order given; the batch stops after the
 * first that fails unless KCALL_BATCH_CONTINUE is set. A batch carries the
 * operations of one int argument and result: goodbye, showparams,
 * retparam, retpid, taskcount and stats_reset. Any other number (message
 * and stats, which take pointers; version; batch itself; unknown numbers)
 * fails its record with EOPNOTSUPP without running anything, and counts
 * as that record's failure for KCALL_BATCH_CONTINUE's purpose.
 *
 * The outcome of every operation that ran is handed back; when it cannot
 * be (the records cannot be written, the reply cannot be sent), the batch
 * fails with that errno and those operations are counted as failed with
 * it, as a single call whose result never arrives.
 */

/* Most records in one batch; more -> E2BIG before any runs. */
#define KCALL_BATCH_MAX 1024

/* Batch flag: run every record, also after a failed one. */
#define KCALL_BATCH_CONTINUE 0x1U

/**
 * struct kcall_batch_op - one operation of a batch
 * @op: operation number (enum kcall_cmd)
 * @flags: the operation's own flags: must be 0 (EINVAL for this record)
 * @arg: its argument (showparams/retparam value, retpid selector), 0 for
 *	 the operations without one
 * @error: output: 0, or the operation's negative errno
 * @result: output: the result on success (retparam, retpid, taskcount),
 *	    else 0
 */
struct kcall_batch_op {
	__u32 op;
	__u32 flags;
	__s32 arg;
	__s32 error;
	__s64 result;
};

/**
 * struct kcall_batch - run an array of operations with one ioctl
 * @size: sizeof(struct kcall_batch)
 * @flags: KCALL_BATCH_CONTINUE or 0; other bits -> EINVAL
 * @ops: user pointer (as __u64) to @nr_ops struct kcall_batch_op, read
 *	 and written back in chunks
 * @nr_ops: in: records in @ops (at most KCALL_BATCH_MAX, else E2BIG);
 *	    out: records run, the failed one included. Also written when the
 *	    ioctl fails with EFAULT on the records, or with EINTR because a
 *	    fatal signal stopped the batch: those before it ran. Each record
 *	    is a scheduling point.
 * @__reserved: must be 0
 */
struct kcall_batch {
	__u32 size;
	__u32 flags;
	__u64 ops;
	__u32 nr_ops;
	__u32 __reserved;
};

/*
 * ioctl type ("magic") shared by every kcall command, and the numbers:
 * 0xCA 0x40-0x7F, which no entry of the kernel's
 * Documentation/userspace-api/ioctl/ioctl-number.rst lists (0xCA 0x00-0x2F
 * is cxl/ocxl, 0x80-0xBF cxlflash; tools/check/check-ioctl-numbers.sh checks
 * the newest kernel's file). ABI 3 moved the commands here from 0x80-0xBF;
 * the module still answers those (KCALL_IOC_NR_BASE_ABI2 + number - 1,
 * same structs and semantics, counted and traced alike) until ABI 4:
 * deprecated, for programs built against ABI 2 headers.
 */
#define KCALL_IOCTL_TYPE 0xCA
#define KCALL_IOC_NR_BASE_ABI2 0x80

enum kcall_ioctl_nr {
	KCALL_IOC_NR_BASE = 0x40,
	KCALL_IOC_NR_GOODBYE = KCALL_IOC_NR_BASE,
	KCALL_IOC_NR_SHOWPARAMS,
	KCALL_IOC_NR_RETPARAM,
	KCALL_IOC_NR_RETPID,
	KCALL_IOC_NR_TASKCOUNT,
	KCALL_IOC_NR_MESSAGE,
	KCALL_IOC_NR_STATS,
	KCALL_IOC_NR_STATS_RESET,
	KCALL_IOC_NR_VERSION,
	/* KCALL_CMD_EVENT's number is no command */
	KCALL_IOC_NR_BATCH = KCALL_IOC_NR_BASE + KCALL_CMD_BATCH - 1,
};

#define KCALL_IOC_GOODBYE	_IO(KCALL_IOCTL_TYPE, KCALL_IOC_NR_GOODBYE)
#define KCALL_IOC_SHOWPARAMS	_IO(KCALL_IOCTL_TYPE, KCALL_IOC_NR_SHOWPARAMS)
#define KCALL_IOC_RETPARAM	_IO(KCALL_IOCTL_TYPE, KCALL_IOC_NR_RETPARAM)
#define KCALL_IOC_RETPID	_IO(KCALL_IOCTL_TYPE, KCALL_IOC_NR_RETPID)
#define KCALL_IOC_TASKCOUNT	_IO(KCALL_IOCTL_TYPE, KCALL_IOC_NR_TASKCOUNT)
#define KCALL_IOC_MESSAGE	_IO(KCALL_IOCTL_TYPE, KCALL_IOC_NR_MESSAGE)
#define KCALL_IOC_STATS		_IO(KCALL_IOCTL_TYPE, KCALL_IOC_NR_STATS)
#define KCALL_IOC_STATS_RESET	_IO(KCALL_IOCTL_TYPE, KCALL_IOC_NR_STATS_RESET)
#define KCALL_IOC_VERSION	_IO(KCALL_IOCTL_TYPE, KCALL_IOC_NR_VERSION)
#define KCALL_IOC_BATCH		_IO(KCALL_IOCTL_TYPE, KCALL_IOC_NR_BATCH)

/*
 * io_uring: the operations a batch carries, submitted asynchronously as
 * IORING_OP_URING_CMD on an open /dev/kcall, with sqe->cmd_op set to
 * KCALL_URING_CALL and a struct kcall_uring_cmd at sqe->cmd (it fits the
 * 16 bytes of a 64-byte SQE). The completion's res is the result (>= 0:
 * retparam's value, retpid's pid, taskcount's count; 0 for the others) or
 * a negative errno: EOPNOTSUPP for a number a batch does not carry
 * (nothing runs, nothing is counted), EINVAL for non-zero @__reserved
 * (likewise) and, counted as the operation's failure, for non-zero @flags
 * or an argument out of range, EOVERFLOW for a count above INT_MAX (never
 * seen: pid_max is at most 2^22), EPERM for stats_reset without
 * CAP_SYS_ADMIN, EINTR when a fatal signal is pending as the command
 * starts (nothing runs, nothing is counted) or stopped a taskcount's walk
 * (counted). Another cmd_op gives ENOTTY. Each command is counted,
 * traced and evented exactly as the same ioctl (events say transport
 * ioctl: it is a call on /dev/kcall). KCALL_FEATURE_URING_CMD says the
 * module takes them.
 *
 * Who the caller is: io_uring may run a command in the submitting thread,
 * in one of the process's io-wq workers (IOSQE_ASYNC, or any command that
 * would block or take long: stats_reset and taskcount always go there) or
 * in the ring's SQPOLL thread. Workers and the SQPOLL thread are threads
 * of the process that created them, so the pid (retpid, logs, events) is
 * that process's, in its pid namespace, and retpid's parent is its
 * parent; logs and events name the process's comm (its main thread's),
 * not the worker's "iou-wrk-<pid>" or "iou-sqp-<pid>". Privilege
 * (stats_reset) is that of the credentials io_uring runs the command
 * with: the submitter's at submission (inline and io-wq), the ring
 * creator's (SQPOLL) or a registered personality's, and, as for ioctl,
 * the opener of /dev/kcall must hold CAP_SYS_ADMIN too.
 *
 * SQPOLL across namespaces is the contract, not refused: the SQPOLL
 * thread cannot tell who wrote an SQE, and the ring's creator chose to
 * share it. A ring created in one pid or network namespace and handed to
 * a process in another (a container) runs every command as the creator's
 * thread: retpid and taskcount answer in the creator's pid namespace,
 * events follow the creator's network namespace, and privilege is the
 * creator's. A ring without SQPOLL runs each command as its submitter.
 */

/* Features mask bit 63: /dev/kcall takes KCALL_URING_CALL commands. */
#define KCALL_FEATURE_URING_CMD 0x8000000000000000ULL

/**
 * struct kcall_uring_cmd - one operation, in an io_uring SQE's cmd area
 * @op: operation number (enum kcall_cmd), as in struct kcall_batch_op
 * @flags: the operation's own flags: must be 0
 * @arg: its argument (showparams/retparam value, retpid selector)
 * @__reserved: must be 0
 */
struct kcall_uring_cmd {
	__u32 op;
	__u32 flags;
	__s32 arg;
	__u32 __reserved;
};

/*
 * sqe->cmd_op of a kcall command: the last number of kcall's 0x40-0x7F,
 * encoded with its struct's size as ublk's commands are (no ioctl takes it).
 */
#define KCALL_URING_CALL _IOWR(KCALL_IOCTL_TYPE, 0x7F, struct kcall_uring_cmd)

/*
 * Generic netlink family KCALL_GENL_NAME (enums in kcall_genl.h). Each
 * command's request takes KCALL_A_FLAGS (optional, must be 0) and its
 * input: KCALL_A_VALUE (s32) for showparams and retparam, KCALL_A_WHICH
 * (s32, enum kcall_retpid_which) for retpid, KCALL_A_TEXT (NUL-terminated,
 * at most KCALL_MESSAGE_MAX bytes before the NUL, nothing after it) for
 * message. Replies: retparam KCALL_A_RESULT (s32), retpid KCALL_A_PID (s32),
 * taskcount KCALL_A_COUNT (u64), stats one nested KCALL_A_STATS (enum
 * kcall_stats_attr) per operation, version KCALL_A_ABI_VERSION (u32) and
 * KCALL_A_FEATURES (u64, KCALL_FEATURE() bits); the others none. 64-bit
 * attributes are aligned with KCALL_A_PAD (KCALL_STATS_A_PAD when nested).
 * stats-reset needs CAP_SYS_ADMIN, of the sender and of the socket's opener.
 *
 * Multicast group KCALL_MCGRP_EVENTS: one KCALL_CMD_EVENT message per call
 * of any operation made in the initial network namespace, sent there only
 * and only while somebody listens, carrying KCALL_A_OP, KCALL_A_TRANSPORT
 * (enum kcall_event_transport), KCALL_A_PID (the caller's process id in the
 * initial pid namespace), KCALL_A_COMM, KCALL_A_ARG (s64; message: the
 * text's length), KCALL_A_ERRNO (u32, 0 or the positive errno) and
 * KCALL_A_RETVAL (s64, the result on success). Joining needs CAP_SYS_ADMIN
 * in the user namespace that owns the listener's network namespace (events
 * name other users' processes); a listener in any other network namespace
 * receives nothing.
 */

/* No command is 0: enum kcall_cmd starts at 1. */
#define KCALL_CMD_UNSPEC 0

#endif /* _UAPI_KCALL_H */
