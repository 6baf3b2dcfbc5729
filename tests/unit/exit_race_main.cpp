// SPDX-License-Identifier: GPL-2.0-only
// A program whose threads call kcall_retparam() on the default connection
// while main() returns: exit() runs static destructors while they still
// call. The default connection must outlive them (run under ASan by
// exit_race_test.cpp, which also checks the exit status).
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "c_api_internal.hpp"
#include "kcall/kcall.h"
#include "stub_backend.hpp"

namespace {

// Answers at once, with a string in the path so that a freed connection
// is touched on every call.
class EchoBackend final : public kcall_test::StubBackend<EchoBackend> {
public:
    template <std::size_t I>
    kcall::CallResult call_row(int32_t arg)
    {
        calls_.fetch_add(1, std::memory_order_relaxed);
        return {int64_t{arg} + static_cast<int64_t>(name_.size() - 4), 0};
    }

private:
    std::atomic<uint64_t> calls_{0};
    std::string name_ = "echo";
};

std::atomic<bool> started{false};

}  // namespace

int main()
{
    kcall::internal::set_default_backend(std::make_unique<EchoBackend>());
    for (int i = 0; i < 4; i++) {
        std::thread([] {
            for (;;) {
                if (kcall_retparam(5) != 5) {
                    std::fputs("exit_race: wrong answer\n", stderr);
                    _exit(3);
                }
                started.store(true, std::memory_order_relaxed);
            }
        }).detach();
    }
    while (!started.load(std::memory_order_relaxed))
        std::this_thread::yield();
    return 0;  // exit(): static destructors run while the threads call
}
