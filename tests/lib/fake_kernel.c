// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fake kernel of fake_kernel.h. These definitions take the place of
 * libc's for the whole program (the executable's symbols come first), so
 * libkcall's calls and the hand-written loops' calls both land here. Only
 * retparam is answered (the benchmarked call); any other kcall request
 * gets ENOTTY over ioctl and EOPNOTSUPP over netlink.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <kcall.h>

#include "fake_kernel.h"

struct nl_sock;

#define FAKE_FDS 1024

/* File descriptors that stand for /dev/kcall (they are /dev/null's). */
static unsigned char fake_device[FAKE_FDS];

/* One answer per netlink socket, waiting for its recv(). */
struct fake_reply {
	uint32_t len;
	union {
		struct nlmsghdr nlh;
		unsigned char bytes[64];
	};
};
static struct fake_reply fake_replies[FAKE_FDS];
static unsigned long fake_requests;
static unsigned long fake_opens, fake_open_now;
static int fake_abi2;
static int fake_hold_opens, fake_opens_held;

unsigned long fake_kernel_requests(void)
{
	return __atomic_load_n(&fake_requests, __ATOMIC_RELAXED);
}

unsigned long fake_kernel_devices_open(void)
{
	return __atomic_load_n(&fake_open_now, __ATOMIC_RELAXED);
}

unsigned long fake_kernel_device_opens(void)
{
	return __atomic_load_n(&fake_opens, __ATOMIC_RELAXED);
}

void fake_kernel_set_abi2(int on)
{
	fake_abi2 = on;
}

void fake_kernel_hold_opens(int on)
{
	__atomic_store_n(&fake_hold_opens, on, __ATOMIC_RELEASE);
}

unsigned long fake_kernel_opens_held(void)
{
	return (unsigned long)__atomic_load_n(&fake_opens_held, __ATOMIC_ACQUIRE);
}

static int fake_open(const char *path, int flags, mode_t mode)
{
	int fd;

	if (strcmp(path, "/dev/" KCALL_DEVICE_NAME) != 0)
		return (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
	if (__atomic_load_n(&fake_hold_opens, __ATOMIC_ACQUIRE)) {
		/* As a module autoload or a slow lookup would: the caller waits. */
		__atomic_add_fetch(&fake_opens_held, 1, __ATOMIC_ACQ_REL);
		while (__atomic_load_n(&fake_hold_opens, __ATOMIC_ACQUIRE))
			usleep(1000);
		__atomic_sub_fetch(&fake_opens_held, 1, __ATOMIC_ACQ_REL);
	}
	fd = (int)syscall(SYS_openat, AT_FDCWD, "/dev/null", flags, 0);
	if (fd >= 0 && fd < FAKE_FDS) {
		fake_device[fd] = 1;
		__atomic_add_fetch(&fake_opens, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&fake_open_now, 1, __ATOMIC_RELAXED);
	}
	return fd;
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & (O_CREAT | __O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return fake_open(path, flags, mode);
}

/* The same symbol under its large-file name (one function on 64-bit). */
int open64(const char *path, int flags, ...) __attribute__((nonnull(1), alias("open")));

int close(int fd)
{
	if (fd >= 0 && fd < FAKE_FDS) {
		if (fake_device[fd])
			__atomic_sub_fetch(&fake_open_now, 1, __ATOMIC_RELAXED);
		fake_device[fd] = 0;
		fake_replies[fd].len = 0;
	}
	return (int)syscall(SYS_close, fd);
}

static int fake_retparam(struct kcall_retparam *a)
{
	if (a->size != sizeof(*a) || a->flags)
		return EINVAL;
	if ((uint32_t)a->value > KCALL_RETPARAM_MAX)
		return EINVAL;
	a->result = a->value;
	return 0;
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;
	int err;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd < 0 || fd >= FAKE_FDS || !fake_device[fd])
		return (int)syscall(SYS_ioctl, fd, request, arg);
	__atomic_add_fetch(&fake_requests, 1, __ATOMIC_RELAXED);
	if (fake_abi2)
		err = request == KCALL_IOC_RETPARAM - KCALL_IOC_NR_BASE + KCALL_IOC_NR_BASE_ABI2 ?
		      fake_retparam(arg) : ENOTTY;
	else
		err = request == KCALL_IOC_RETPARAM ? fake_retparam(arg) : ENOTTY;
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

/* libnl asks the kernel's controller; the fake family is "kcall" alone. */
int genl_ctrl_resolve(struct nl_sock *sk, const char *name)
{
	(void)sk;
	return strcmp(name, KCALL_GENL_NAME) == 0 ? FAKE_KCALL_FAMILY : -12; /* NLE_OBJ_NOTFOUND */
}

static void fake_nl_error(struct fake_reply *r, const struct nlmsghdr *req, int err)
{
	struct nlmsgerr *e = NLMSG_DATA(&r->nlh);

	memset(r, 0, sizeof(*r));
	r->nlh.nlmsg_type = NLMSG_ERROR;
	r->nlh.nlmsg_flags = NLM_F_CAPPED;
	e->error = -err;
	e->msg = *req;
	r->len = r->nlh.nlmsg_len = NLMSG_LENGTH(sizeof(*e));
}

/* The request's s32 attribute of @type, or -1 when it has none. */
static int fake_nl_s32(const struct nlmsghdr *req, uint16_t type, int32_t *out)
{
	const unsigned char *p = (const unsigned char *)NLMSG_DATA(req) + GENL_HDRLEN;
	const unsigned char *end = (const unsigned char *)req + req->nlmsg_len;

	while (p + NLA_HDRLEN <= end) {
		const struct nlattr *a = (const struct nlattr *)p;

		if (a->nla_len < NLA_HDRLEN || p + a->nla_len > end)
			return -1;
		if (a->nla_type == type && a->nla_len == NLA_HDRLEN + sizeof(*out)) {
			memcpy(out, p + NLA_HDRLEN, sizeof(*out));
			return 0;
		}
		p += NLA_ALIGN(a->nla_len);
	}
	return -1;
}

static void fake_nl_answer(struct fake_reply *r, const struct nlmsghdr *req)
{
	const struct genlmsghdr *g = NLMSG_DATA(req);
	struct genlmsghdr *rg;
	struct nlattr *a;
	int32_t value;

	__atomic_add_fetch(&fake_requests, 1, __ATOMIC_RELAXED);
	if (req->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN) || g->cmd != KCALL_CMD_RETPARAM)
		return fake_nl_error(r, req, EOPNOTSUPP);
	if (fake_nl_s32(req, KCALL_A_VALUE, &value) ||
	    (uint32_t)value > KCALL_RETPARAM_MAX)
		return fake_nl_error(r, req, EINVAL);
	memset(r, 0, sizeof(*r));
	r->nlh.nlmsg_type = FAKE_KCALL_FAMILY;
	rg = NLMSG_DATA(&r->nlh);
	rg->cmd = g->cmd;
	rg->version = KCALL_GENL_VERSION;
	a = (struct nlattr *)((unsigned char *)rg + GENL_HDRLEN);
	a->nla_len = NLA_HDRLEN + sizeof(value);
	a->nla_type = KCALL_A_RESULT;
	memcpy((unsigned char *)a + NLA_HDRLEN, &value, sizeof(value));
	r->len = r->nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN + NLA_ALIGN(a->nla_len));
}

/*
 * The controller's answer to CTRL_CMD_GETFAMILY "kcall" from a hand-written
 * client (libnl's lookup is genl_ctrl_resolve() above): the family id.
 */
static int fake_ctrl_answer(struct fake_reply *r, const struct nlmsghdr *req)
{
	const unsigned char *p = (const unsigned char *)NLMSG_DATA(req) + GENL_HDRLEN;
	const struct nlattr *name = (const struct nlattr *)p;
	const uint16_t id = FAKE_KCALL_FAMILY;
	struct genlmsghdr *rg;
	struct nlattr *a;

	if (req->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN + NLA_HDRLEN + sizeof(KCALL_GENL_NAME)) ||
	    name->nla_type != CTRL_ATTR_FAMILY_NAME ||
	    memcmp(p + NLA_HDRLEN, KCALL_GENL_NAME, sizeof(KCALL_GENL_NAME)) != 0)
		return -1;
	memset(r, 0, sizeof(*r));
	r->nlh.nlmsg_type = GENL_ID_CTRL;
	rg = NLMSG_DATA(&r->nlh);
	rg->cmd = CTRL_CMD_NEWFAMILY;
	a = (struct nlattr *)((unsigned char *)rg + GENL_HDRLEN);
	a->nla_len = NLA_HDRLEN + sizeof(id);
	a->nla_type = CTRL_ATTR_FAMILY_ID;
	memcpy((unsigned char *)a + NLA_HDRLEN, &id, sizeof(id));
	r->len = r->nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN + NLA_ALIGN(a->nla_len));
	return 0;
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	const struct nlmsghdr *req = buf;
	struct fake_reply *r;

	if (fd < 0 || fd >= FAKE_FDS || len < NLMSG_HDRLEN || req->nlmsg_len > len)
		return syscall(SYS_sendto, fd, buf, len, flags, NULL, 0);
	r = &fake_replies[fd];
	if (req->nlmsg_type == GENL_ID_CTRL) {
		if (fake_ctrl_answer(r, req))
			return syscall(SYS_sendto, fd, buf, len, flags, NULL, 0);
	} else if (req->nlmsg_type == FAKE_KCALL_FAMILY) {
		fake_nl_answer(r, req);
	} else {
		return syscall(SYS_sendto, fd, buf, len, flags, NULL, 0);
	}
	r->nlh.nlmsg_seq = req->nlmsg_seq;
	r->nlh.nlmsg_pid = req->nlmsg_pid;
	return (ssize_t)len;
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from,
		 socklen_t *from_len)
{
	struct fake_reply *r;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	size_t n;

	if (fd < 0 || fd >= FAKE_FDS || !fake_replies[fd].len)
		return syscall(SYS_recvfrom, fd, buf, len, flags, from, from_len);
	r = &fake_replies[fd];
	n = r->len < len ? r->len : len;
	memcpy(buf, r->bytes, n);
	if (from && from_len) {
		memcpy(from, &kernel, *from_len < sizeof(kernel) ? *from_len : sizeof(kernel));
		*from_len = sizeof(kernel);
	}
	n = (flags & MSG_TRUNC) ? r->len : n;
	if (!(flags & MSG_PEEK))
		r->len = 0;
	return (ssize_t)n;
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	return recvfrom(fd, buf, len, flags, NULL, NULL);
}
