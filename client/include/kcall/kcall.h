/* SPDX-License-Identifier: MIT */
/*
 * libkcall C API: kcall's operations called like system calls.
 *
 * Each function returns its result (0 for goodbye and showparams) or -1
 * with errno set, exactly like a libc syscall wrapper. The functions
 * without a handle use the default connection: the transport named by the
 * environment variable KCALL_TRANSPORT ("ioctl" or "netlink"), else
 * /dev/kcall, else generic netlink, decided by the process's first such
 * call. Each thread has its own, opened on its first call without a handle
 * (threads share no open file or socket, so their calls do not contend).
 * The kcall_h_* functions use a connection you open.
 *
 * A thread's default connection is closed when the thread exits (by a
 * pthread key destructor: a later key's destructor that calls the library
 * gets a new one, closed by the next round of destructors); none is closed
 * while the process exits, so atexit handlers and threads still calling
 * then find theirs intact. A child after fork() gets its own netlink socket
 * on its first call (the fork is noticed without a system call), and a
 * netlink connection finds the family again after the module is reloaded.
 * Over ioctl a connection keeps /dev/kcall open and so the module loaded:
 * kcall_release_default() closes them all (in a child, those of the
 * child's threads: the other parent threads' inherited descriptors close
 * at exec or exit).
 *
 * A netlink request waits at most KCALL_TIMEOUT_MS milliseconds for its
 * answer (environment, read when a connection opens; default 5000, 0:
 * forever), then fails with ETIMEDOUT. An ioctl is one system call.
 *
 * After a failure, kcall_strerror_ext() returns the kernel's explanation
 * (netlink extended ACK) of this thread's last failed call, or "" (at most
 * 255 bytes; a success empties it).
 * No function throws; none is a cancellation point beyond the I/O it does
 * (opening a connection, a netlink call's wait for its answer): a thread
 * cancelled there unwinds as from that I/O, and its default connection is
 * closed when it ends, as at any thread's exit.
 */
#ifndef KCALL_KCALL_H
#define KCALL_KCALL_H

#include <stdint.h>

#include "kcall/version.h"

/* What the shared library exports (everything else is hidden). */
#if defined(__GNUC__)
#define KCALL_API __attribute__((visibility("default")))
#define KCALL_LOCAL __attribute__((visibility("hidden")))
#else
#define KCALL_API
#define KCALL_LOCAL
#endif

#ifdef __cplusplus
extern "C" {
#endif

enum kcall_transport {
    KCALL_TRANSPORT_DEFAULT = 0, /* KCALL_TRANSPORT, else ioctl, else netlink */
    KCALL_TRANSPORT_IOCTL = 1,   /* /dev/kcall */
    KCALL_TRANSPORT_NETLINK = 2, /* generic netlink family "kcall" */
};

/* retpid selectors (the uapi's enum kcall_retpid_which) */
#define KCALL_SELF 0
#define KCALL_PARENT 1

KCALL_API int kcall_goodbye(void);
KCALL_API int kcall_showparams(int value);
KCALL_API int kcall_retparam(int value);
KCALL_API int kcall_retpid(int which);
KCALL_API int64_t kcall_taskcount(void);

/* Logs text (at most 255 bytes; EINVAL if longer). */
KCALL_API int kcall_message(const char *text);

/* Call counters of one operation. */
struct kcall_stat {
    uint32_t op; /* operation number; kcall_op_name() names it */
    uint64_t calls;
    uint64_t failures;
};

/*
 * Fills up to n entries, one per operation, and returns how many
 * operations the module counts (more than n: call again with more room).
 */
KCALL_API int kcall_stats(struct kcall_stat *entries, unsigned int n);
/* Zeroes the counters; EPERM without CAP_SYS_ADMIN. */
KCALL_API int kcall_stats_reset(void);
/*
 * The module's ABI version and its features mask (bit N: operation number
 * N); either pointer may be NULL. EOPNOTSUPP from a module of ABI 1.
 */
KCALL_API int kcall_version(uint32_t *abi_version, uint64_t *features);
/*
 * "retparam" for its operation number, NULL for an unknown number. Names
 * are the CLI's subcommands: "stats-reset" for KCALL_CMD_STATS_RESET.
 */
KCALL_API const char *kcall_op_name(uint32_t op);

/*
 * One operation of kcall_batch(). In: op, an operation number of one int
 * argument and result (goodbye, showparams, retparam, retpid, taskcount,
 * stats_reset; any other fails its record with EOPNOTSUPP), and its arg.
 * Out: error, 0 or the errno, and result on success.
 */
struct kcall_batch_call {
    uint32_t op;
    int32_t arg;
    int error;
    int64_t result;
};

/* kcall_batch() flag: run every operation, also after a failed one. */
#define KCALL_BATCH_KEEP_GOING 1U

/*
 * Runs calls[0..n) in order with as few kernel entries as the module
 * allows. Returns how many ran: n, or up to and including the first that
 * failed (without KCALL_BATCH_KEEP_GOING); -1 with errno when the batch
 * itself fails (EOPNOTSUPP: the module has no batches; EINVAL: unknown
 * flags; EFAULT: calls is NULL). An operation number the library does not
 * know fails its record with EOPNOTSUPP without running, as the module
 * does. A batch of more than KCALL_BATCH_MAX records whose later kernel
 * entry fails as a whole (ETIMEDOUT, ENOBUFS, ENOMEM) stops there: the
 * records before it ran, and the count includes that entry's first
 * record, whose error is the errno (it may or may not have run).
 */
KCALL_API int kcall_batch(struct kcall_batch_call *calls, unsigned int n, unsigned int flags);

/*
 * Operations this library knows but the loaded module lacks fail with
 * EOPNOTSUPP and kcall_strerror_ext() "module too old for <op>".
 */

typedef struct kcall_handle kcall_handle;

/*
 * NULL with errno set on failure (ENOENT: module not loaded; EINVAL: not a
 * transport of enum kcall_transport).
 */
KCALL_API kcall_handle *kcall_open(enum kcall_transport transport);
KCALL_API void kcall_close(kcall_handle *handle);
/*
 * The transport a handle uses (never KCALL_TRANSPORT_DEFAULT);
 * KCALL_TRANSPORT_DEFAULT with errno EINVAL for a NULL handle.
 */
KCALL_API enum kcall_transport kcall_handle_transport(const kcall_handle *handle);

KCALL_API int kcall_h_goodbye(kcall_handle *handle);
KCALL_API int kcall_h_showparams(kcall_handle *handle, int value);
KCALL_API int kcall_h_retparam(kcall_handle *handle, int value);
KCALL_API int kcall_h_retpid(kcall_handle *handle, int which);
KCALL_API int64_t kcall_h_taskcount(kcall_handle *handle);
KCALL_API int kcall_h_message(kcall_handle *handle, const char *text);
KCALL_API int kcall_h_stats(kcall_handle *handle, struct kcall_stat *entries, unsigned int n);
KCALL_API int kcall_h_stats_reset(kcall_handle *handle);
KCALL_API int kcall_h_version(kcall_handle *handle, uint32_t *abi_version, uint64_t *features);
KCALL_API int kcall_h_batch(kcall_handle *handle, struct kcall_batch_call *calls, unsigned int n,
                            unsigned int flags);

/*
 * Live events: every call of any operation, from either transport, made in
 * the initial network namespace (generic netlink group "events"; needs
 * CAP_SYS_ADMIN; a monitor in another network namespace receives nothing).
 */
struct kcall_event {
    uint32_t op;                    /* operation number */
    enum kcall_transport transport; /* how the call arrived */
    int32_t pid;                    /* caller's pid, initial pid namespace */
    char comm[16];                  /* caller's command name */
    int64_t arg;                    /* argument; message: text length */
    int error;                      /* 0, or the call's errno */
    int64_t result;                 /* result on success */
};

typedef struct kcall_monitor kcall_monitor;

/* NULL with errno set on failure (EPERM: not allowed to listen). */
KCALL_API kcall_monitor *kcall_monitor_open(void);
/*
 * Waits at most timeout_ms (negative: forever) for the next event: 0, or
 * -1 with errno (ETIMEDOUT; ENOBUFS when events were lost).
 */
KCALL_API int kcall_monitor_next(kcall_monitor *monitor, struct kcall_event *event, int timeout_ms);
/*
 * The monitor's socket, for poll()/epoll: readable when kcall_monitor_next()
 * has an event (or error) to return without waiting. Owned by the monitor.
 */
KCALL_API int kcall_monitor_fd(const kcall_monitor *monitor);
KCALL_API void kcall_monitor_close(kcall_monitor *monitor);

/*
 * Asynchronous calls through io_uring on /dev/kcall (kcall(4)): push
 * operations (those a batch carries; any other completes with EOPNOTSUPP),
 * submit them all with one system call, take their completions in any
 * order by tag. A ring is for one thread at a time.
 */
typedef struct kcall_ring kcall_ring;

struct kcall_ring_completion {
    uint64_t tag;   /* what kcall_ring_push() was given */
    int error;      /* 0, or the errno */
    int64_t result; /* result on success */
};

/* kcall_ring_open() flags: a kernel thread takes submissions (SQPOLL). */
#define KCALL_RING_SQPOLL 1U
/* kcall_ring_open() flags: every command runs in an io-wq worker. */
#define KCALL_RING_ASYNC 2U

/*
 * A ring of entries submission slots. NULL with errno set on failure
 * (EOPNOTSUPP: the module or the library has no io_uring support; EPERM:
 * io_uring is disabled; EINVAL: unknown flags).
 */
KCALL_API kcall_ring *kcall_ring_open(unsigned int entries, unsigned int flags);
/* Queues op (a number, enum kcall_cmd): 0, or -1 with errno (EBUSY: the
 * queue is full, submit first; EINVAL: a number the library cannot name). */
KCALL_API int kcall_ring_push(kcall_ring *ring, uint32_t op, int32_t arg, uint64_t tag);
/* Submits what is queued, waits for wait_for completions: how many were
 * submitted, or -1 with errno. */
KCALL_API int kcall_ring_submit(kcall_ring *ring, unsigned int wait_for);
/* Takes up to max ready completions without waiting: how many. */
KCALL_API int kcall_ring_reap(kcall_ring *ring, struct kcall_ring_completion *out,
                              unsigned int max);
/* Submits what is queued and waits for one completion: 0, or -1 with
 * errno (ENOENT: nothing in flight). */
KCALL_API int kcall_ring_next(kcall_ring *ring, struct kcall_ring_completion *out);
KCALL_API void kcall_ring_close(kcall_ring *ring);

/* The kernel's message for this thread's last failed call, or "". */
KCALL_API const char *kcall_strerror_ext(void);

/*
 * Closes every thread's default connection; each thread's next call
 * without a handle opens a new one (and KCALL_TRANSPORT is read again).
 * Call it only when no other thread is calling without a handle: a call
 * racing with it is undefined behaviour (it may use the connection's
 * freed memory, or a descriptor number that another open reused). Before
 * unloading the module, say, in a program that used the default connection
 * over ioctl.
 */
KCALL_API void kcall_release_default(void);

/* The version of the library the program runs with (the headers':
 * KCALL_VERSION_MAJOR and friends in kcall/version.h). */
KCALL_API unsigned int kcall_lib_version_major(void);
KCALL_API unsigned int kcall_lib_version_minor(void);
KCALL_API const char *kcall_lib_version_string(void);

#ifdef __cplusplus
}
#endif

#endif /* KCALL_KCALL_H */
