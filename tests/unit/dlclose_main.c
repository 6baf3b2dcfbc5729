// SPDX-License-Identifier: GPL-2.0-only
/*
 * dlclose() of libkcall while a thread that used the default connection
 * lives: the thread's later exit runs the library's key destructor, which
 * must still be mapped. Then the library is opened and used again. The
 * fake kernel (tests/lib/fake_kernel.c) is in this executable, exported
 * (-rdynamic) so that it takes the place of libc's open() and ioctl() for
 * the library too. Usage: kcall_dlclose path/to/libkcall.so
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "fake_kernel.h"

static int (*retparam)(int);
static pthread_barrier_t barrier;

static void *caller(void *arg)
{
	(void)arg;
	if (retparam(3) != 3) {
		fprintf(stderr, "kcall_dlclose: kcall_retparam(3) failed\n");
		exit(1);
	}
	pthread_barrier_wait(&barrier);
	pthread_barrier_wait(&barrier); /* main dlcloses in between */
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: kcall_dlclose path/to/libkcall.so\n");
		return 2;
	}
	setenv("KCALL_TRANSPORT", "ioctl", 1);
	for (int round = 0; round < 2; round++) {
		void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
		pthread_t t;

		if (!lib) {
			fprintf(stderr, "kcall_dlclose: %s\n", dlerror());
			return 1;
		}
		*(void **)&retparam = dlsym(lib, "kcall_retparam");
		if (!retparam) {
			fprintf(stderr, "kcall_dlclose: %s\n", dlerror());
			return 1;
		}
		pthread_barrier_init(&barrier, NULL, 2);
		if (pthread_create(&t, NULL, caller, NULL) != 0)
			return 1;
		pthread_barrier_wait(&barrier);
		dlclose(lib);
		pthread_barrier_wait(&barrier);
		pthread_join(t, NULL); /* its exit ran the library's key destructor */
		pthread_barrier_destroy(&barrier);
		if (fake_kernel_devices_open() != 0) {
			fprintf(stderr, "kcall_dlclose: %lu connections left open\n",
				fake_kernel_devices_open());
			return 1;
		}
	}
	return 0;
}
