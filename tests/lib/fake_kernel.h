/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A kernel faked out inside the process, for counting libkcall's own
 * instructions (tests/bench/lib_cost.cpp, under callgrind): open() of
 * /dev/kcall, its ioctls, the generic netlink family's resolution and its
 * requests are answered here, in user space, with no system call. Every
 * other call goes to the real kernel.
 *
 * The fake is the same work for the library and for the hand-written loop
 * it is compared with, so their difference is the library's own cost.
 */
#ifndef KCALL_FAKE_KERNEL_H
#define KCALL_FAKE_KERNEL_H

#ifdef __cplusplus
extern "C" {
#endif

/* The family id genl_ctrl_resolve("kcall") answers. */
#define FAKE_KCALL_FAMILY 0x6b63

/* Requests the fake answered since the start (ioctls and netlink). */
unsigned long fake_kernel_requests(void);

/* Descriptors of /dev/kcall open now, and opened since the start. */
unsigned long fake_kernel_devices_open(void);
unsigned long fake_kernel_device_opens(void);

/* Non-zero: the device answers only ABI 2's ioctl numbers (0x80-). */
void fake_kernel_set_abi2(int on);

/*
 * Non-zero: open() of /dev/kcall waits until it is turned off again, as
 * one that loads the module would; how many opens wait now.
 */
void fake_kernel_hold_opens(int on);
unsigned long fake_kernel_opens_held(void);

#ifdef __cplusplus
}
#endif

#endif /* KCALL_FAKE_KERNEL_H */
