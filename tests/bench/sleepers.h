// SPDX-License-Identifier: GPL-2.0-only
// Extra sleeping processes for the taskcount benchmarks. Each is a real
// process (its own thread group, so /proc and taskcount list it) created
// with clone(CLONE_VM): it shares our memory and needs only a small stack,
// so 5000 of them fit in a small VM.
#pragma once

#include <sys/types.h>

#include <vector>

namespace kcall_bench {

class Sleepers {
public:
    Sleepers() = default;
    ~Sleepers() { resize(0); }
    Sleepers(const Sleepers &) = delete;
    Sleepers &operator=(const Sleepers &) = delete;

    // Starts or kills processes until exactly n are sleeping; false if the
    // kernel refused a new one.
    bool resize(size_t n);
    size_t size() const { return pids_.size(); }

private:
    std::vector<pid_t> pids_;
    std::vector<void *> stacks_;
};

}  // namespace kcall_bench
