// SPDX-License-Identifier: MIT
// Which process this is, without a system call: a counter that
// pthread_atfork's child handler increments. A connection remembers the
// generation it was opened in; a different one means it was inherited
// across fork() and must not share its socket with the parent.
#pragma once

#include <atomic>
#include <cstdint>

namespace kcall {

extern std::atomic<uint32_t> fork_generation_counter;

inline uint32_t fork_generation()
{
    return fork_generation_counter.load(std::memory_order_relaxed);
}

}  // namespace kcall
