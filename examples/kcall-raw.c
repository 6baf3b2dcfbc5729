// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcall-raw: call one kcall operation through the raw ioctl uapi.
 *
 *   kcall-raw goodbye | showparams N | retparam N | retpid N | taskcount
 *
 * Prints the result and exits 0, or prints "kcall-raw: <op>: <strerror>"
 * and exits 1. A test and demo tool with no dependencies beyond the uapi
 * header; users want the kcall CLI.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <kcall.h>

static int parse_int(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || *end || end == s || v < INT_MIN || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: kcall-raw goodbye | showparams N | retparam N | "
			"retpid N | taskcount\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";
	int needs_arg = !strcmp(op, "showparams") || !strcmp(op, "retparam") ||
			!strcmp(op, "retpid");
	int arg = 0, fd, ret;
	char out[32] = "ok";

	if (argc != 2 + needs_arg || (needs_arg && parse_int(argv[2], &arg)))
		return usage();

	fd = open("/dev/" KCALL_DEVICE_NAME, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "kcall-raw: open /dev/kcall: %s\n", strerror(errno));
		return 1;
	}

	if (!strcmp(op, "goodbye")) {
		struct kcall_goodbye a = { .size = sizeof(a) };

		ret = ioctl(fd, KCALL_IOC_GOODBYE, &a);
	} else if (!strcmp(op, "showparams")) {
		struct kcall_showparams a = { .size = sizeof(a), .value = arg };

		ret = ioctl(fd, KCALL_IOC_SHOWPARAMS, &a);
	} else if (!strcmp(op, "retparam")) {
		struct kcall_retparam a = { .size = sizeof(a), .value = arg };

		ret = ioctl(fd, KCALL_IOC_RETPARAM, &a);
		snprintf(out, sizeof(out), "%d", a.result);
	} else if (!strcmp(op, "retpid")) {
		struct kcall_retpid a = { .size = sizeof(a), .which = arg };

		ret = ioctl(fd, KCALL_IOC_RETPID, &a);
		snprintf(out, sizeof(out), "%d", a.pid);
	} else if (!strcmp(op, "taskcount")) {
		struct kcall_taskcount a = { .size = sizeof(a) };

		ret = ioctl(fd, KCALL_IOC_TASKCOUNT, &a);
		snprintf(out, sizeof(out), "%" PRIu64, (uint64_t)a.count);
	} else {
		close(fd);
		return usage();
	}
	if (ret) {
		fprintf(stderr, "kcall-raw: %s: %s\n", op, strerror(errno));
		close(fd);
		return 1;
	}
	printf("%s\n", out);
	close(fd);
	return 0;
}
