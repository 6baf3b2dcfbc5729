// SPDX-License-Identifier: GPL-2.0-only
// A transport for tests about Backend::call() alone: D supplies the simple
// calls (a member template call_row<I>(arg), as the backends do); every
// other operation answers at once with nothing.
#pragma once

#include <string_view>
#include <vector>

#include "backend.hpp"

namespace kcall_test {

template <typename D>
class StubBackend : public kcall::Backend {
public:
    StubBackend() : Backend(kcall::simple_calls_of<D>) {}
    kcall::Transport transport() const override { return kcall::Transport::ioctl; }
    kcall::Result<void> message(std::string_view /*text*/) override { return {}; }
    kcall::Result<std::vector<kcall::OpStats>> stats() override
    {
        return std::vector<kcall::OpStats>{};
    }
    kcall::Result<kcall::ModuleVersion> version() override { return kcall::ModuleVersion{}; }
    kcall::Result<std::vector<kcall::BatchOutcome>> batch(
        const std::vector<kcall::BatchOp> & /*ops*/, bool /*keep_going*/) override
    {
        return std::vector<kcall::BatchOutcome>{};
    }
};

}  // namespace kcall_test
