// SPDX-License-Identifier: GPL-2.0-only
// A GoogleMock transport for host tests of the library and the CLI.
#pragma once

#include <gmock/gmock.h>

#include <memory>
#include <string_view>
#include <vector>

#include "backend.hpp"

namespace kcall_test {

class MockBackend : public kcall::Backend {
public:
    MOCK_METHOD(kcall::Transport, transport, (), (const, override));
    MOCK_METHOD(kcall::Result<int64_t>, call, (kcall::Op, int32_t), (override));
    MOCK_METHOD(kcall::Result<void>, message, (std::string_view), (override));
    MOCK_METHOD(kcall::Result<std::vector<kcall::OpStats>>, stats, (), (override));
    MOCK_METHOD(kcall::Result<kcall::ModuleVersion>, version, (), (override));
};

// Every operation of ABI 2, as a module of today reports them.
constexpr uint64_t kAllFeatures = 0x3feULL;

// A client over a new mock; *mock stays valid while the client lives.
inline kcall::Client mock_client(MockBackend **mock, kcall::Transport t = kcall::Transport::ioctl)
{
    auto m = std::make_unique<testing::NiceMock<MockBackend>>();
    ON_CALL(*m, transport()).WillByDefault(testing::Return(t));
    ON_CALL(*m, version())
        .WillByDefault(testing::Return(kcall::ModuleVersion{2, kAllFeatures}));
    *mock = m.get();
    return kcall::Client(std::move(m));
}

}  // namespace kcall_test
