// SPDX-License-Identifier: GPL-2.0-only
// What the fuzzer holds the module to, beyond "the kernel did not crash":
//  - every errno is one the reviewed table (errno_table.cpp, from docs/SPEC.md)
//    allows for that operation and transport;
//  - a call the fuzzer built well-formed gets exactly the errno and the
//    result the contract gives (the model in the steps);
//  - no reply byte is one the module did not mean to write (steps);
//  - the stats counters moved by exactly the calls the fuzzer made
//    (Stats below), when nothing else calls the module.
// A violation prints what happened and aborts: libFuzzer then saves the
// input, which replays with one command (scripts/fuzz.sh --reproduce).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include <kcall.h>

namespace kcall_fuzz {

enum class Transport : uint8_t { ioctl, netlink };

// Operation numbers as the uapi numbers them (enum kcall_cmd); 0 stands
// for anything that is not an operation (unknown numbers, the event).
constexpr unsigned kMaxOp = KCALL_CMD_VERSION;
inline bool is_op(unsigned op)
{
    return op >= KCALL_CMD_GOODBYE && op <= kMaxOp;
}

// Circumstances that widen what a call may answer.
struct Circumstances {
    bool injected = false;    // an allocation of this call was failed (fail-nth)
    bool reloading = false;   // the module may be unloaded under the call
    bool dump = false;        // netlink: NLM_F_DUMP on a command that has no dump
    bool bad_header = false;  // netlink: genl header cut short, or its reserved field set
};

[[noreturn]] void violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// Aborts unless err (0 or a positive errno) is allowed.
void check_errno(Transport t, unsigned op, int err, const Circumstances &c, const char *what);
// The table's entry, for the report and the tests: errnos separated by
// spaces ("0 EINVAL EFAULT E2BIG").
std::string allowed_errnos(Transport t, unsigned op);

// Whether a call reached the core and so was counted: known yes, known no,
// or unknown (an EFAULT may come before or after the core).
enum class Counted : uint8_t { no, yes, unknown };

// The stats model: the counters the fuzzer expects, against those the
// module reports.
class Stats {
public:
    using Counters = std::array<kcall_op_stats, kMaxOp + 1>;

    // Reads the module's counters over ioctl: false when it cannot.
    static bool read(int fd, Counters *out);

    void begin(const Counters &now);
    // One call of op: counted or not, and whether it failed.
    void call(unsigned op, Counted counted, bool failed);
    // A stats_reset that succeeded: every counter restarts from zero, and
    // the reset itself is counted after it.
    void reset();
    // Compares; the stats read that produced `now` counted itself.
    void end(const Counters &now) const;

private:
    struct Bounds {
        uint64_t calls_min = 0, calls_max = 0, fail_min = 0, fail_max = 0;
    };
    Counters base_{};
    std::array<Bounds, kMaxOp + 1> delta_{};
};

}  // namespace kcall_fuzz
