// SPDX-License-Identifier: MIT
// Loading the module on first use of /dev/kcall, which has no static node:
// asking generic netlink for the "kcall" family makes the kernel load the
// module (its family alias) before it answers.
#pragma once

namespace kcall {

// Asks for the family once; true when the kernel knows it afterwards.
bool autoload_module();

}  // namespace kcall
