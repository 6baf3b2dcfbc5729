// SPDX-License-Identifier: MIT
// Loading the module on first use of /dev/kcall, which has no static node:
// asking generic netlink for the "kcall" family makes the kernel load the
// module (its family alias) before it answers.
#pragma once

namespace kcall {

// Asks for the family once; true when the kernel knows it afterwards.
bool autoload_module();

// Opens /dev/kcall (read-write, close-on-exec), loading the module first
// when the node is missing: the descriptor, or -1 with errno (ENOENT: no
// module to load).
int open_device();

}  // namespace kcall
