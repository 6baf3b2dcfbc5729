// SPDX-License-Identifier: GPL-2.0-only
// A GoogleMock transport for host tests of the library and the CLI.
#pragma once

#include <gmock/gmock.h>

#include <memory>

#include "kcall/backend.hpp"

namespace kcall_test {

class MockBackend : public kcall::Backend {
public:
    MOCK_METHOD(kcall::Transport, transport, (), (const, override));
    MOCK_METHOD(kcall::Result<int64_t>, call, (kcall::Op, int32_t), (override));
};

// A client over a new mock; *mock stays valid while the client lives.
inline kcall::Client mock_client(MockBackend **mock, kcall::Transport t = kcall::Transport::ioctl)
{
    auto m = std::make_unique<testing::NiceMock<MockBackend>>();
    ON_CALL(*m, transport()).WillByDefault(testing::Return(t));
    *mock = m.get();
    return kcall::Client(std::move(m));
}

}  // namespace kcall_test
