// SPDX-License-Identifier: GPL-2.0-only
// What user space can see without kcall, to compare kcall's answers with.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace kcall_test {

// Number of processes /proc lists (what "ps -e" shows).
int64_t count_proc_processes();

// Calls fn between two /proc counts until both counts agree (a quiet
// moment) and returns {proc count, fn()}; nullopt if never quiet.
template <typename Fn>
std::optional<std::pair<int64_t, int64_t>> at_quiet_moment(Fn fn, int tries = 100)
{
    for (int i = 0; i < tries; i++) {
        const int64_t before = count_proc_processes();
        const int64_t value = fn();
        if (count_proc_processes() == before)
            return std::make_pair(before, value);
    }
    return std::nullopt;
}

// The caller's comm, as the kernel logs it.
std::string self_comm();

}  // namespace kcall_test
