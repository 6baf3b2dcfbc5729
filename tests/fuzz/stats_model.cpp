// SPDX-License-Identifier: GPL-2.0-only
// The stats oracle: the module's counters against the calls the fuzzer
// made since the last read.
#include <sys/ioctl.h>

#include <cstring>

#include "oracle.h"

namespace kcall_fuzz {

bool Stats::read(int fd, Counters *out)
{
    kcall_op_stats entries[kMaxOp + 8] = {};
    kcall_stats a{};
    a.size = sizeof(a);
    a.entries = reinterpret_cast<uintptr_t>(entries);
    a.nr_entries = kMaxOp + 8;
    if (ioctl(fd, KCALL_IOC_STATS, &a) != 0)
        return false;
    *out = {};
    for (uint32_t i = 0; i < a.nr_entries && i < kMaxOp + 8; i++) {
        if (is_op(entries[i].op))
            (*out)[entries[i].op] = entries[i];
    }
    return true;
}

void Stats::begin(const Counters &now)
{
    base_ = now;
    delta_ = {};
    // The read that produced `now` is counted after its snapshot.
    call(KCALL_CMD_STATS, Counted::yes, false);
}

void Stats::call(unsigned op, Counted counted, bool failed)
{
    if (!is_op(op) || counted == Counted::no)
        return;
    Bounds &b = delta_[op];
    b.calls_max++;
    if (failed)
        b.fail_max++;
    if (counted == Counted::yes) {
        b.calls_min++;
        if (failed)
            b.fail_min++;
    }
}

void Stats::reset()
{
    base_ = {};
    delta_ = {};
    call(KCALL_CMD_STATS_RESET, Counted::yes, false);
}

void Stats::end(const Counters &now) const
{
    for (unsigned op = KCALL_CMD_GOODBYE; op <= kMaxOp; op++) {
        const uint64_t calls = now[op].calls - base_[op].calls;
        const uint64_t fails = now[op].failures - base_[op].failures;
        const Bounds &b = delta_[op];
        if (calls < b.calls_min || calls > b.calls_max || fails < b.fail_min || fails > b.fail_max)
            violation(
                "stats of op %u moved by %llu calls, %llu failures; the fuzzer made "
                "%llu-%llu calls, %llu-%llu failing",
                op, static_cast<unsigned long long>(calls), static_cast<unsigned long long>(fails),
                static_cast<unsigned long long>(b.calls_min),
                static_cast<unsigned long long>(b.calls_max),
                static_cast<unsigned long long>(b.fail_min),
                static_cast<unsigned long long>(b.fail_max));
    }
}

}  // namespace kcall_fuzz
