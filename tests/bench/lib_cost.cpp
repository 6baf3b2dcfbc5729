// SPDX-License-Identifier: GPL-2.0-only
// libkcall's own instructions per call: retparam through the C++ API and
// the C API's default connection, over each transport, against the
// hand-written loop of the same transport, with the kernel faked out
// (fake_kernel.h): what is left between them is the library's own work.
//
// tests/bench/lib-cost.py runs this under callgrind, which counts the
// instructions of each scenario's measured loop (CALLGRIND_ZERO_STATS
// before it, CALLGRIND_DUMP_STATS_AT after), and holds the differences to
// their budgets. Run alone, it runs the same loops natively and checks
// every answer, counting nothing.
//
//   kcall_lib_cost [CALLS]
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include <kcall.h>  // the uapi

#include "fake_kernel.h"
#include "kcall/kcall.h"
#include "kcall/kcall.hpp"
#include "raw_genl.h"

#ifdef KCALL_HAVE_CALLGRIND
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS_AT(name) ((void)(name))
#endif

namespace {

constexpr int kWarmup = 200;
constexpr int32_t kValue = 7;

// Runs call() kWarmup times, then `calls` times under the count. Each call
// returns whether the answer was right; one wrong answer fails the scenario.
template <typename Call>
bool measure(const char *name, int calls, Call call)
{
    bool ok = true;
    for (int i = 0; i < kWarmup; i++)
        ok = call() && ok;
    const unsigned long before = fake_kernel_requests();
    CALLGRIND_ZERO_STATS;
    for (int i = 0; i < calls; i++)
        ok = call() && ok;
    CALLGRIND_DUMP_STATS_AT(name);
    const unsigned long answered = fake_kernel_requests() - before;
    // Every call must have reached the fake kernel exactly once.
    if (!ok || answered != static_cast<unsigned long>(calls)) {
        std::fprintf(stderr, "lib_cost: %s: wrong answer or %lu requests for %d calls\n", name,
                     answered, calls);
        return false;
    }
    std::printf("scenario %s calls %d\n", name, calls);
    return true;
}

// "<transport>-cpp": a Client of its own; "<transport>-capi": the C API's
// default connection over that transport.
bool library_scenarios(kcall::Transport t, int calls)
{
    const std::string name = kcall::to_string(t);
    auto opened = kcall::Client::open(t);
    if (!opened)
        return false;
    kcall::Client c = std::move(*opened);
    bool ok = measure((name + "-cpp").c_str(), calls, [&c] {
        auto r = c.retparam(kValue);
        return r && *r == kValue;
    });
    setenv("KCALL_TRANSPORT", name.c_str(), 1);
    kcall_release_default();
    return measure((name + "-capi").c_str(), calls,
                   [] { return kcall_retparam(kValue) == kValue; }) &&
           ok;
}

bool ioctl_scenarios(int calls)
{
    const int fd = open("/dev/" KCALL_DEVICE_NAME, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = measure("ioctl-raw", calls, [fd] {
        struct kcall_retparam a {};
        a.size = sizeof(a);
        a.value = kValue;
        return ioctl(fd, KCALL_IOC_RETPARAM, &a) == 0 && a.result == kValue;
    });
    close(fd);

    return library_scenarios(kcall::Transport::ioctl, calls) && ok;
}

bool netlink_scenarios(int calls)
{
    kcall_test::RawGenl raw;
    if (!raw.ok())
        return false;
    bool ok = measure("netlink-raw", calls, [&raw] {
        int32_t result = 0;
        return raw.retparam(kValue, &result) == 0 && result == kValue;
    });

    return library_scenarios(kcall::Transport::netlink, calls) && ok;
}

}  // namespace

int main(int argc, char **argv)
{
    const int calls = argc > 1 ? std::atoi(argv[1]) : 10000;
    if (calls <= 0) {
        std::fprintf(stderr, "usage: kcall_lib_cost [CALLS]\n");
        return 2;
    }
    const bool ok = ioctl_scenarios(calls) && netlink_scenarios(calls);
    if (!ok)
        std::fprintf(stderr, "lib_cost: FAILED\n");
    return ok ? 0 : 1;
}
