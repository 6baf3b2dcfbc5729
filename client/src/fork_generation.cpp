// SPDX-License-Identifier: MIT
#include "fork_generation.hpp"

#include <pthread.h>

namespace kcall {

std::atomic<uint32_t> fork_generation_counter{0};

namespace {

void child_after_fork()
{
    fork_generation_counter.fetch_add(1, std::memory_order_relaxed);
}

// Registered when the library is loaded, before any connection exists.
[[maybe_unused]] const bool registered = pthread_atfork(nullptr, nullptr, child_after_fork) == 0;

}  // namespace

}  // namespace kcall
