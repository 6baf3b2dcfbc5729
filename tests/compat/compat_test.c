// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcall_compat_test: the same calls through the raw uapi and libkcall's C
 * API (ioctl transport), printed one line each in a form that does not
 * depend on the process: built as a 64-bit and as a 32-bit (-m32) program,
 * both must print exactly the same, which proves compat_ioctl gives 32-bit
 * callers identical results. Process-dependent values (pids, counts) are
 * printed as relations ("= getpid()", "> 0").
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <kcall.h>
#include <kcall/kcall.h>

static void show(const char *what, int rc, long long value)
{
	if (rc)
		printf("%s: errno %d (%s)\n", what, rc, strerror(rc));
	else
		printf("%s: %lld\n", what, value);
}

static int call(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) == 0 ? 0 : errno;
}

static void raw(int fd)
{
	static const int values[] = { 0, 1, 1024, 1025, -1, -2147483647 - 1 };
	struct kcall_retparam rp;
	struct kcall_retpid pid;
	struct kcall_taskcount tc;
	struct kcall_version v;
	struct kcall_message m;
	struct kcall_stats st;
	struct kcall_op_stats entries[16];
	char name[64];
	unsigned int i;
	int rc;

	printf("sizes: %zu %zu %zu %zu %zu %zu %zu\n", sizeof(rp), sizeof(pid), sizeof(tc),
	       sizeof(v), sizeof(m), sizeof(st), sizeof(entries[0]));
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		memset(&rp, 0xa5, sizeof(rp));
		rp.size = sizeof(rp);
		rp.flags = 0;
		rp.value = values[i];
		rc = call(fd, KCALL_IOC_RETPARAM, &rp);
		snprintf(name, sizeof(name), "raw retparam(%d)", values[i]);
		show(name, rc, rc ? 0 : rp.result);
	}
	for (i = 0; i < 3; i++) {
		memset(&pid, 0, sizeof(pid));
		pid.size = sizeof(pid);
		pid.which = (int)i;
		rc = call(fd, KCALL_IOC_RETPID, &pid);
		snprintf(name, sizeof(name), "raw retpid(%u) = %s", i, i == 0 ? "getpid()" : "getppid()");
		show(name, rc, rc ? 0 : pid.pid == (i == 0 ? getpid() : getppid()));
	}
	memset(&tc, 0, sizeof(tc));
	tc.size = sizeof(tc);
	rc = call(fd, KCALL_IOC_TASKCOUNT, &tc);
	show("raw taskcount > 0", rc, rc ? 0 : tc.count > 0);
	memset(&v, 0xa5, sizeof(v));
	v.size = sizeof(v);
	v.flags = 0;
	rc = call(fd, KCALL_IOC_VERSION, &v);
	printf("raw version: rc %d abi %u reserved %u features %#llx\n", rc, v.abi_version,
	       v.__reserved, (unsigned long long)v.features);
	memset(&m, 0, sizeof(m));
	m.size = sizeof(m);
	m.text = (uintptr_t)"from a compat test";
	show("raw message", call(fd, KCALL_IOC_MESSAGE, &m), 0);
	m.text = 0;
	show("raw message(NULL)", call(fd, KCALL_IOC_MESSAGE, &m), 0);
	memset(entries, 0xa5, sizeof(entries));
	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	st.entries = (uintptr_t)entries;
	st.nr_entries = 16;
	rc = call(fd, KCALL_IOC_STATS, &st);
	printf("raw stats: rc %d entries %u", rc, st.nr_entries);
	for (i = 0; i < st.nr_entries && i < 16; i++)
		printf(" %u/%u", entries[i].op, entries[i].__reserved);
	printf("\n");
	memset(&rp, 0, sizeof(rp));
	rp.size = sizeof(rp) + 8;  /* a newer binary's larger struct */
	show("raw retparam, larger size", call(fd, KCALL_IOC_RETPARAM, &rp), 0);
}

static void capi(void)
{
	kcall_handle *h = kcall_open(KCALL_TRANSPORT_IOCTL);
	struct kcall_stat stats[16];
	uint32_t abi = 0;
	uint64_t features = 0;
	int n;

	if (!h) {
		printf("capi: kcall_open: %s\n", strerror(errno));
		return;
	}
	show("capi retparam(7)", 0, kcall_h_retparam(h, 7));
	errno = 0;
	show("capi retparam(2000)", kcall_h_retparam(h, 2000) == -1 ? errno : 0, 0);
	show("capi retpid(0) = getpid()", 0, kcall_h_retpid(h, KCALL_SELF) == getpid());
	show("capi taskcount > 0", 0, kcall_h_taskcount(h) > 0);
	show("capi message", kcall_h_message(h, "compat") == -1 ? errno : 0, 0);
	n = kcall_h_stats(h, stats, 16);
	show("capi stats", n < 0 ? errno : 0, n);
	show("capi version", kcall_h_version(h, &abi, &features) == -1 ? errno : 0,
	     (long long)abi * 10000 + (long long)features);
	kcall_close(h);
}

int main(void)
{
	int fd = open("/dev/" KCALL_DEVICE_NAME, O_RDWR | O_CLOEXEC);

	printf("pointer size: %s\n", sizeof(void *) == 8 ? "native" : "compat");
	if (fd < 0) {
		perror("/dev/kcall");
		return 1;
	}
	raw(fd);
	close(fd);
	capi();
	return 0;
}
