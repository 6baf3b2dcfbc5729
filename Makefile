# SPDX-License-Identifier: GPL-2.0-only
#
# Developer targets. Kbuild itself reads ./Kbuild; this file is never used
# by "make -C /lib/modules/<ver>/build M=$PWD".
KERNELS ?= 6.1 6.12

.PHONY: all module check style tidy format-check format ynl-gen lint test demo \
	install uninstall clean

all: module

module:		# W=1, warnings as errors, for each kernel
	scripts/lint.sh --only 'W=1' $(KERNELS)

check:		# sparse (C=2) for each kernel
	scripts/lint.sh --only sparse $(KERNELS)

style:		# checkpatch.pl --strict on module/ and uapi/
	scripts/lint.sh --only checkpatch $(KERNELS)

tidy:		# clang-tidy on client/ and tests/
	scripts/lint.sh --only clang-tidy $(KERNELS)

format-check:	# clang-format, check only
	scripts/lint.sh --only clang-format $(KERNELS)

format:		# clang-format, rewrite in place
	git ls-files 'client/*.cpp' 'client/*.h' 'tests/*.cpp' 'tests/*.h' | xargs -r clang-format -i

ynl-gen:	# regenerate the netlink code from uapi/kcall.yaml
	scripts/ynl-gen.sh

lint:		# every gate above
	scripts/lint.sh $(KERNELS)

test:
	scripts/test.sh $(KERNELS)

demo:
	scripts/demo.sh

install:	# DKMS for every kernel with headers, and /etc/modules-load.d/kcall.conf
	scripts/install.sh

uninstall:	# DKMS registrations, /usr/src/kcall-*, that file
	scripts/install.sh --uninstall

clean:
	rm -rf build
