// SPDX-License-Identifier: MIT
// The transport seam under kcall::Client: one virtual call per operation
// kind. The library has two (ioctl, netlink); tests supply fakes.
#pragma once

#include <cstdint>

#include "kcall/kcall.hpp"

namespace kcall {

enum class Op { goodbye, showparams, retparam, retpid, taskcount };

const char *to_string(Op op);

class Backend {
public:
    virtual ~Backend() = default;
    virtual Transport transport() const = 0;
    // Runs op with its argument (ignored by goodbye and taskcount); the
    // result is 0 for operations without one.
    virtual Result<int64_t> call(Op op, int32_t arg) = 0;
};

}  // namespace kcall
