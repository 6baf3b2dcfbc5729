// SPDX-License-Identifier: GPL-2.0-only
// The steps an input decodes into. Each step builds one request from the
// input (structure-aware: the uapi's structs and the netlink family's
// attribute types, well-formed most of the time and broken on purpose the
// rest), sends it under KCOV, and holds the answer to the oracles.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <fuzzer/FuzzedDataProvider.h>

#include "arena.h"
#include "kcov.h"
#include "oracle.h"

struct io_uring;

namespace kcall_fuzz {

// What one thread's steps share.
struct Context {
    int dev = -1;         // /dev/kcall, or -1 (reload mode: not there)
    int nl = -1;          // generic netlink socket
    uint16_t family = 0;  // kcall's family id on it
    uint32_t seq = 0;
    uint32_t events_group = 0;  // kcall's multicast group id
    int listener = -1;          // events listener socket (side steps)
    bool listening = false;
    int perf = -1;                    // a perf event on kcall's tracepoint, or -1
    int fail_nth = -1;                // /proc/thread-self/fail-nth, when failslab exists
    unsigned inject = 0;              // fail the n-th allocation of the next call
    bool reloading = false;           // the module may vanish under any call
    bool verbose = false;             // one line per call on stderr (replays)
    bool privileged = true;           // CAP_SYS_ADMIN in this thread's effective set
    Stats *stats = nullptr;           // the stats model, when it can hold
    struct io_uring *ring = nullptr;  // for uring_step, or none
    Arena arena;
    KcovTrace *kcov = nullptr;
    ModuleMap *map = nullptr;
    uint8_t *counters = nullptr;  // libFuzzer's extra counters
    size_t ncounters = 0;
};

// A request's operation arguments, shared by both transports.
struct Request {
    unsigned op = 0;  // uapi number, 1..kMaxOp
    uint32_t flags = 0;
    int32_t arg = 0;   // value or which
    std::string text;  // message: the bytes before the terminating NUL
};

// The answer: 0 or an errno, and the result where the op has one.
struct Answer {
    int err = 0;
    int64_t value = 0;
    bool answered = true;   // netlink: false when the kernel said nothing
    bool injected = false;  // an allocation of the call was failed
};

// Runs f (a system call) under KCOV and under the armed fault, feeding the
// coverage to the map; *injected tells whether the fault fired.
template <typename F>
auto covered(Context &cx, bool *injected, F f)
{
    if (cx.inject && cx.fail_nth >= 0) {
        const std::string v = std::to_string(cx.inject);
        (void)!pwrite(cx.fail_nth, v.data(), v.size(), 0);
    }
    if (cx.kcov)
        cx.kcov->start();
    auto r = f();
    const int saved = errno;
    if (cx.kcov && cx.map)
        cx.map->feed(cx.kcov->stop(), cx.counters, cx.ncounters);
    *injected = false;
    if (cx.inject && cx.fail_nth >= 0) {
        char buf[16] = {};
        *injected = pread(cx.fail_nth, buf, sizeof(buf) - 1, 0) > 0 && buf[0] == '0';
        (void)!pwrite(cx.fail_nth, "0", 1, 0);
    }
    cx.inject = 0;
    errno = saved;
    return r;
}

// Interesting values for an int argument, then anything.
int32_t consume_arg(FuzzedDataProvider &in);
// Message text bytes (no NUL inside unless asked for by the caller).
std::string consume_text(FuzzedDataProvider &in);

// What the contract says a well-formed request answers, and the value.
int expected_err(const Request &r, bool privileged);
// Checks a successful answer's value against the contract.
void check_value(const Request &r, int64_t value, const char *what);

void ioctl_step(FuzzedDataProvider &in, Context &cx);
void netlink_step(FuzzedDataProvider &in, Context &cx);
// A batch over either transport (netlink_step hands over when it picked
// the batch command).
void batch_step(FuzzedDataProvider &in, Context &cx);
// Whether a batch (and an io_uring command) carries operation number op.
bool batchable(uint32_t op);
// One io_uring command on /dev/kcall (KCALL_URING_CALL, or another cmd_op),
// inline or IOSQE_ASYNC: its completion against the model.
void uring_step(FuzzedDataProvider &in, Context &cx);
// Fixed io_uring commands of every outcome, inline and async, run with the
// empty input (as batch_seeds()).
void uring_seeds(Context &cx);
// Fixed batches of every kind (both transports, stop and continue, refused
// ones), run with the empty input so that every run covers their paths.
void batch_seeds(Context &cx);
// Side steps: sysfs counters, the tracepoint, the events listener, and
// arming fail-nth for the next call.
void side_step(FuzzedDataProvider &in, Context &cx);
// Reads what the events listener got: every event well-formed.
void drain_events(Context &cx);
// One well-formed request over both transports: the same errno and value.
void pair_step(FuzzedDataProvider &in, Context &cx);

// Well-formed single calls, as pair_step makes them.
Answer ioctl_call(Context &cx, const Request &r);
Answer netlink_call(Context &cx, const Request &r);

// Resolves kcall's family id on cx.nl; false when it is not registered.
bool resolve_family(Context &cx);

}  // namespace kcall_fuzz
