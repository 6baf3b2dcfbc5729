// SPDX-License-Identifier: MIT
// The library's two transports.
#pragma once

#include <memory>

#include <cstdint>

#include "backend.hpp"

namespace kcall {

// The transport's backend; automatic: KCALL_TRANSPORT, else ioctl, else
// netlink (what Client::open() opens).
Result<std::unique_ptr<Backend>> open_backend(Transport transport);
Result<std::unique_ptr<Backend>> open_ioctl_backend();
Result<std::unique_ptr<Backend>> open_netlink_backend();
// For tests: requests go to the netlink port peer (a fake kernel in the
// same process) with the given family id; no controller lookup.
Result<std::unique_ptr<Backend>> open_netlink_backend_to_peer(uint32_t peer, int family,
                                                              int timeout_ms);

}  // namespace kcall
