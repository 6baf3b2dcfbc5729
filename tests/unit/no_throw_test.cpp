// SPDX-License-Identifier: GPL-2.0-only
// No C++ exception leaves the C API: with every allocation failing
// (std::bad_alloc), NULL handles and arguments still fail with their errno,
// and a failed call's message is still kept for kcall_strerror_ext().
#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <functional>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "backend.hpp"
#include "c_api_internal.hpp"
#include "kcall/kcall.h"
#include "stub_backend.hpp"

namespace {

// While set, operator new fails (this binary's allocations): the plain one
// throws std::bad_alloc, the nothrow one returns nullptr. Both use malloc(),
// as the delete that frees what they return uses free().
std::atomic<bool> fail_new{false};

}  // namespace

// Out of line, so that GCC does not take the free() of what this new
// returned, inlined into a delete expression, for a mismatch.
[[gnu::noinline]] void *operator new(std::size_t n)
{
    if (fail_new.load(std::memory_order_relaxed))
        throw std::bad_alloc();
    if (void *p = std::malloc(n ? n : 1))
        return p;
    throw std::bad_alloc();
}

[[gnu::noinline]] void *operator new(std::size_t n, const std::nothrow_t & /*tag*/) noexcept
{
    if (fail_new.load(std::memory_order_relaxed))
        return nullptr;
    return std::malloc(n ? n : 1);
}

[[gnu::noinline]] void operator delete(void *p) noexcept
{
    std::free(p);
}

[[gnu::noinline]] void operator delete(void *p, std::size_t /*n*/) noexcept
{
    std::free(p);
}

namespace kcall_test {
namespace {

// fn() with every allocation failing.
int without_memory(const std::function<int()> &fn)
{
    struct Restore {
        ~Restore() { fail_new = false; }
    } restore;
    fail_new = true;
    return fn();
}

TEST(NoThrow, NullHandlesAndArgumentsFailWithoutAllocating)
{
    struct Case {
        const char *what;
        std::function<int()> call;
        int err;
    };
    kcall_event ev{};
    kcall_ring_completion c{};
    const std::vector<Case> cases = {
        {"kcall_h_goodbye", [] { return kcall_h_goodbye(nullptr); }, EINVAL},
        {"kcall_h_retparam", [] { return kcall_h_retparam(nullptr, 1); }, EINVAL},
        {"kcall_h_stats", [] { return kcall_h_stats(nullptr, nullptr, 0); }, EINVAL},
        {"kcall_h_batch", [] { return kcall_h_batch(nullptr, nullptr, 0, 0); }, EINVAL},
        {"kcall_message", [] { return kcall_message(nullptr); }, EFAULT},
        {"kcall_monitor_next", [&ev] { return kcall_monitor_next(nullptr, &ev, 0); }, EINVAL},
        {"kcall_monitor_fd", [] { return kcall_monitor_fd(nullptr); }, EINVAL},
        {"kcall_ring_push", [] { return kcall_ring_push(nullptr, 3, 1, 0); }, EINVAL},
        {"kcall_ring_submit", [] { return kcall_ring_submit(nullptr, 0); }, EINVAL},
        {"kcall_ring_reap", [&c] { return kcall_ring_reap(nullptr, &c, 1); }, EINVAL},
        {"kcall_ring_next", [&c] { return kcall_ring_next(nullptr, &c); }, EINVAL},
    };
    for (const Case &k : cases) {
        errno = 0;
        EXPECT_EQ(without_memory(k.call), -1) << k.what;
        EXPECT_EQ(errno, k.err) << k.what;
    }
}

// Fails every simple call with EINVAL, leaving the message that was set.
class FailingBackend final : public StubBackend<FailingBackend> {
public:
    template <std::size_t I>
    kcall::CallResult call_row(int32_t /*arg*/)
    {
        return {0, EINVAL};
    }
};

TEST(NoThrow, AFailedCallKeepsItsMessageWithoutAllocating)
{
    kcall::internal::set_default_backend(std::make_unique<FailingBackend>());
    EXPECT_EQ(kcall_retparam(1), -1);  // the thread's default connection, open
    const std::string text(200, 'x');  // longer than any message before
    kcall::set_call_message(text);
    errno = 0;
    EXPECT_EQ(without_memory([] { return kcall_retparam(1); }), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(kcall_strerror_ext(), text);
    kcall::internal::set_default_backend(nullptr);
}

}  // namespace
}  // namespace kcall_test
