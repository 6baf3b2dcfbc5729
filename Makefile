# SPDX-License-Identifier: GPL-2.0-only
#
# "make" builds kcall.ko for one kernel, this machine's by default:
#   make [KERNELRELEASE=6.1.0-57-amd64 | KERNELDIR=/path/to/build]
#   make install     DKMS for every kernel with headers (scripts/install.sh)
# Kbuild reads ./Kbuild when the kernel's make comes back here (M=); this
# file is only the front door. The targets after "developer targets" are
# the project's gates and commands (docs/DEVELOPING.md).
KERNELRELEASE ?= $(shell uname -r)
# This machine's headers, else a guest kernel the scripts unpacked into the
# project's cache (scripts/lib.sh, kcall_cache).
KCALL_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/kcall
KHEADERS := /lib/modules/$(KERNELRELEASE)/build
KERNELDIR ?= $(firstword $(wildcard $(KHEADERS) \
	$(KCALL_CACHE)/kernels/$(KERNELRELEASE)$(KHEADERS)) $(KHEADERS))
DEPMOD ?= depmod
KERNELS ?= 6.1 6.12

.PHONY: all module module-install install uninstall clean \
	lint module-lint style tidy format-check format ynl-gen test demo

all: module

module:		# kcall.ko (and kcall_kunit.ko on a kernel with KUnit)
	$(MAKE) -C $(KERNELDIR) M=$(CURDIR) modules

module-install:	# into /lib/modules/$(KERNELRELEASE)/updates, without DKMS
	$(MAKE) -C $(KERNELDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates modules_install
	$(DEPMOD) -b "$(or $(INSTALL_MOD_PATH),/)" -a $(KERNELRELEASE)

install:	# DKMS for every kernel with headers, and /etc/modules-load.d/kcall.conf
	scripts/install.sh

uninstall:	# DKMS registrations, /usr/src/kcall-*, that file
	scripts/install.sh --uninstall

clean:		# the module's objects, and build/ (the scripts' builds)
	if [ -d $(KERNELDIR) ]; then $(MAKE) -C $(KERNELDIR) M=$(CURDIR) clean; fi
	rm -rf build

# --- developer targets -------------------------------------------------

lint:		# every gate below and more (tools/check/lint.sh)
	tools/check/lint.sh $(KERNELS)

module-lint:	# W=1 and sparse (C=2), warnings as errors, for each of KERNELS
	tools/check/lint.sh --only 'W=1' $(KERNELS)

style:		# checkpatch.pl --strict on module/ and uapi/
	tools/check/lint.sh --only checkpatch $(KERNELS)

tidy:		# clang-tidy on client/ and tests/
	tools/check/lint.sh --only clang-tidy $(KERNELS)

format-check:	# clang-format, check only
	tools/check/lint.sh --only clang-format $(KERNELS)

format:		# clang-format, rewrite in place
	git ls-files 'client/*.cpp' 'client/*.h' 'client/*.hpp' 'tests/*.cpp' 'tests/*.h' \
		'examples/*.cpp' | xargs -r clang-format -i

ynl-gen:	# regenerate the netlink code from uapi/kcall.yaml
	tools/gen/ynl-gen.sh

test:
	scripts/test.sh $(KERNELS)

demo:
	scripts/demo.sh
