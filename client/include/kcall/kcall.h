/* SPDX-License-Identifier: MIT */
/*
 * libkcall C API: kcall's operations called like system calls.
 *
 * Each function returns its result (0 for goodbye and showparams) or -1
 * with errno set, exactly like a libc syscall wrapper. The functions
 * without a handle use a process-wide default connection, opened on first
 * use and shared by all threads: the transport named by the environment
 * variable KCALL_TRANSPORT ("ioctl" or "netlink"), else /dev/kcall, else
 * generic netlink. The kcall_h_* functions use a connection you open.
 *
 * After a failure, kcall_strerror_ext() returns the kernel's explanation
 * (netlink extended ACK) of this thread's last failed call, or "".
 * No function throws; none is a cancellation point beyond the I/O it does.
 */
#ifndef KCALL_KCALL_H
#define KCALL_KCALL_H

#include <stdint.h>

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

int kcall_goodbye(void);
int kcall_showparams(int value);
int kcall_retparam(int value);
int kcall_retpid(int which);
int64_t kcall_taskcount(void);

typedef struct kcall_handle kcall_handle;

/* NULL with errno set on failure (ENOENT: module not loaded). */
kcall_handle *kcall_open(enum kcall_transport transport);
void kcall_close(kcall_handle *handle);
/* The transport a handle uses (never KCALL_TRANSPORT_DEFAULT). */
enum kcall_transport kcall_handle_transport(const kcall_handle *handle);

int kcall_h_goodbye(kcall_handle *handle);
int kcall_h_showparams(kcall_handle *handle, int value);
int kcall_h_retparam(kcall_handle *handle, int value);
int kcall_h_retpid(kcall_handle *handle, int which);
int64_t kcall_h_taskcount(kcall_handle *handle);

/* The kernel's message for this thread's last failed call, or "". */
const char *kcall_strerror_ext(void);

#ifdef __cplusplus
}
#endif

#endif /* KCALL_KCALL_H */
