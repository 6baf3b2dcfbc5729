// SPDX-License-Identifier: GPL-2.0-only
// Many threads on both transports at once: every answer stays correct.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "transport.h"

namespace kcall_test {
namespace {

TEST(Concurrency, ThreadsOnBothTransportsGetCorrectAnswers)
{
    constexpr int kThreadsPerTransport = 4;
    constexpr int kCalls = 400;
    std::atomic<int> wrong{0}, done{0};
    std::vector<std::thread> threads;
    threads.reserve(size_t{2} * kThreadsPerTransport);
    for (int t = 0; t < 2 * kThreadsPerTransport; t++) {
        threads.emplace_back([t, &wrong, &done] {
            auto transport = (t % 2) ? make_netlink_transport() : make_ioctl_transport();
            for (int i = 0; i < kCalls; i++) {
                const int32_t v = (t * kCalls + i) % 1100;  // some above 1024
                const Outcome r = transport->call(Op::retparam, v);
                const bool ok = v <= 1024 ? (r.err == 0 && r.value == v) : r.err == EINVAL;
                const Outcome p = transport->call(Op::retpid, 0);
                if (!ok || p.err || p.value != getpid())
                    wrong++;
                done++;
            }
        });
    }
    for (auto &th : threads)
        th.join();
    EXPECT_EQ(done.load(), 2 * kThreadsPerTransport * kCalls);
    EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace kcall_test
