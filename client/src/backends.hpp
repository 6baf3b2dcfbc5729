// SPDX-License-Identifier: MIT
// The library's two transports.
#pragma once

#include <memory>

#include "kcall/backend.hpp"

namespace kcall {

Result<std::unique_ptr<Backend>> open_ioctl_backend();
Result<std::unique_ptr<Backend>> open_netlink_backend();

}  // namespace kcall
