// SPDX-License-Identifier: MIT
// libkcall from C, like a syscall wrapper.
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <kcall/kcall.h>

int main(void)
{
	int v;

	if (kcall_lib_version_major() != KCALL_VERSION_MAJOR ||
	    kcall_lib_version_minor() != KCALL_VERSION_MINOR) {
		printf("headers %s, library %s\n", KCALL_VERSION_STRING, kcall_lib_version_string());
		return 1;
	}
	v = kcall_retparam(7);

	if (v == -1)
		printf("kcall_retparam(7): %s %s\n", strerror(errno), kcall_strerror_ext());
	else
		printf("kcall_retparam(7) = %d\n", v);
	return 0;
}
