// SPDX-License-Identifier: GPL-2.0-only
// A GoogleMock transport for host tests of the library and the CLI.
#pragma once

#include <gmock/gmock.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "backend.hpp"

namespace kcall_test {

class MockBackend : public kcall::Backend {
public:
    MockBackend() : Backend(kcall::simple_calls_of<MockBackend>) {}
    MOCK_METHOD(kcall::Transport, transport, (), (const, override));
    // Backend::call as a Result, which tests state more readily.
    MOCK_METHOD(kcall::Result<int64_t>, call, (kcall::Op, int32_t));
    using Backend::call;
    template <std::size_t I>
    kcall::CallResult call_row(int32_t arg)
    {
        auto r = call(static_cast<kcall::Op>(I), arg);
        if (!r) {
            kcall::set_call_message(r.error().message);
            return {0, r.error().code};
        }
        return {*r, 0};
    }
    MOCK_METHOD(kcall::Result<void>, message, (std::string_view), (override));
    MOCK_METHOD(kcall::Result<std::vector<kcall::OpStats>>, stats, (), (override));
    MOCK_METHOD(kcall::Result<kcall::ModuleVersion>, version, (), (override));
    MOCK_METHOD(kcall::Result<std::vector<kcall::BatchOutcome>>, batch,
                (const std::vector<kcall::BatchOp> &, bool), (override));
};

// Every operation of ABI 2, as a module of today reports them.
constexpr uint64_t kAllFeatures = 0x3feULL;

// A new mock of a module of today; *mock stays valid while it lives.
inline std::unique_ptr<MockBackend> mock_backend(MockBackend **mock,
                                                 kcall::Transport t = kcall::Transport::ioctl)
{
    auto m = std::make_unique<testing::NiceMock<MockBackend>>();
    ON_CALL(*m, transport()).WillByDefault(testing::Return(t));
    ON_CALL(*m, version()).WillByDefault(testing::Return(kcall::ModuleVersion{2, kAllFeatures}));
    *mock = m.get();
    return m;
}

// A client over a new mock; *mock stays valid while the client lives.
inline kcall::Client mock_client(MockBackend **mock, kcall::Transport t = kcall::Transport::ioctl)
{
    return kcall::Client(mock_backend(mock, t));
}

}  // namespace kcall_test
