// SPDX-License-Identifier: MIT
// The transport seam under kcall::Client: one virtual call per operation
// shape. The library has two (ioctl, netlink); tests supply fakes.
// Internal: not installed, not part of the ABI.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "kcall/kcall.hpp"

namespace kcall {

class Backend {
public:
    virtual ~Backend() = default;
    virtual Transport transport() const = 0;
    // Runs an operation with at most one int argument and result:
    // goodbye, showparams, retparam, retpid, taskcount, stats_reset. The
    // argument is ignored by those without one; the result is 0 for those
    // without one.
    virtual Result<int64_t> call(Op op, int32_t arg) = 0;
    // text has no NUL bytes (the client checks).
    virtual Result<void> message(std::string_view text) = 0;
    virtual Result<std::vector<OpStats>> stats() = 0;
    // ENOTTY (ioctl) or EOPNOTSUPP (netlink) from a module of ABI 1.
    virtual Result<ModuleVersion> version() = 0;
};

}  // namespace kcall
