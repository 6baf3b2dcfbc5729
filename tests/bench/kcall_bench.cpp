// SPDX-License-Identifier: GPL-2.0-only
// kcall's cost per call against the kernel's floors, all in one run (only
// ratios measured in the same run mean anything):
//  - floors: getppid(), unknown ioctls, a hand-written ioctl loop on
//    /dev/kcall, a hand-written generic netlink round trip (no libnl) and
//    the same request to a command the family rejects before kcall's
//    handler runs;
//  - every operation through libkcall over each transport (C++ API), and
//    retparam through the C API's default connection over each;
//  - taskcount against counting /proc and against sysinfo(), at +0, +1000
//    and +5000 sleeping processes;
//  - batches (KCALL_IOC_BATCH, KCALL_CMD_BATCH) of 1, 8 and 32 records and
//    io_uring commands at depth 1, 8 and 32 (by hand and kcall::Ring);
//  - throughput with 1 and 2 threads per transport (BM_threads_*): a
//    client per thread, and the C API's default connection.
// Run inside the VM by scripts/bench.sh: the single-thread rows under
// QEMU's -icount, where a nanosecond is one instruction, the thread rows
// under plain TCG; tools/report/bench-report.py turns the JSON into
// docs/PERFORMANCE.md.
#include <benchmark/benchmark.h>

#include <dirent.h>
#include <fcntl.h>
#include <liburing.h>
#include <linux/netlink.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include <kcall.h>

#include "foreign_listener.h"
#include "kcall/kcall.h"
#include "kcall/kcall.hpp"
#include "raw_genl.h"
#include "sleepers.h"

namespace kcall_bench {
namespace {

using kcall_test::RawGenl;

kcall::Client open_client(kcall::Transport t)
{
    auto c = kcall::Client::open(t);
    if (!c) {
        std::fprintf(stderr, "kcall_bench: cannot open %s: %s\n", kcall::to_string(t),
                     c.error().what().c_str());
        std::exit(1);
    }
    return std::move(*c);
}

// --- floors ------------------------------------------------------------------

void BM_floor_getppid(benchmark::State &state)
{
    for (auto _ : state)
        benchmark::DoNotOptimize(syscall(SYS_getppid));
}
BENCHMARK(BM_floor_getppid);

void BM_floor_raw_ioctl_retparam(benchmark::State &state)
{
    const int fd = open("/dev/" KCALL_DEVICE_NAME, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        state.SkipWithError("open /dev/kcall");
        return;
    }
    struct kcall_retparam a {};
    for (auto _ : state) {
        a.size = sizeof(a);
        a.value = 7;
        if (ioctl(fd, KCALL_IOC_RETPARAM, &a) != 0)
            state.SkipWithError("ioctl");
        benchmark::DoNotOptimize(a.result);
    }
    close(fd);
}
BENCHMARK(BM_floor_raw_ioctl_retparam);

// The same call with an unprivileged "events" listener in another network
// namespace (an unshare -Urn): it sets genetlink's per-protocol listener
// bit, but no event can reach it, so the call must cost (nearly) what it
// costs with nobody listening. listener=0: nobody, 1: the foreign one.
void BM_event_foreign_listener(benchmark::State &state)
{
    std::unique_ptr<kcall_test::ForeignListener> listener;
    if (state.range(0)) {
        listener = std::make_unique<kcall_test::ForeignListener>(3'600'000);
        if (!listener->error().empty()) {
            state.SkipWithError(listener->error().c_str());
            return;
        }
    }
    BM_floor_raw_ioctl_retparam(state);
}
BENCHMARK(BM_event_foreign_listener)->ArgName("listener")->Arg(0)->Arg(1);

// What any ioctl costs before a driver does anything: an unknown command
// on /dev/null and on /dev/kcall (ENOTTY from the VFS and from our table).
void floor_enotty(benchmark::State &state, const char *path)
{
    const int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        state.SkipWithError(path);
        return;
    }
    int dummy = 0;
    for (auto _ : state)
        benchmark::DoNotOptimize(ioctl(fd, _IO(KCALL_IOCTL_TYPE, 0x7f), &dummy));
    close(fd);
}

void BM_floor_ioctl_enotty_devnull(benchmark::State &state)
{
    floor_enotty(state, "/dev/null");
}
BENCHMARK(BM_floor_ioctl_enotty_devnull);

void BM_floor_ioctl_enotty_kcall(benchmark::State &state)
{
    floor_enotty(state, "/dev/" KCALL_DEVICE_NAME);
}
BENCHMARK(BM_floor_ioctl_enotty_kcall);

// A hand-written request of command cmd with a value attribute, whose
// answer must be errno `expect` (0: a reply).
void raw_genl(benchmark::State &state, uint8_t cmd, int expect)
{
    RawGenl genl;
    if (!genl.ok()) {
        state.SkipWithError("resolve family kcall");
        return;
    }
    int32_t result = 0;
    for (auto _ : state) {
        if (genl.request(cmd, 7, &result) != expect)
            state.SkipWithError("unexpected answer");
        benchmark::DoNotOptimize(result);
    }
}

void BM_floor_raw_genl_retparam(benchmark::State &state)
{
    raw_genl(state, KCALL_CMD_RETPARAM, 0);
}
BENCHMARK(BM_floor_raw_genl_retparam);

// The same request to a command number the family does not have: genetlink
// answers EOPNOTSUPP before any kcall code runs. What a round trip costs
// the kernel without kcall, so (retparam - this) is kcall's own share.
void BM_floor_raw_genl_rejected(benchmark::State &state)
{
    constexpr uint8_t kRejectedCmd = 0xfe;
    raw_genl(state, kRejectedCmd, EOPNOTSUPP);
}
BENCHMARK(BM_floor_raw_genl_rejected);

// --- every operation through the library --------------------------------------

template <typename Fn>
void run_op(benchmark::State &state, kcall::Transport t, Fn fn)
{
    kcall::Client c = open_client(t);
    for (auto _ : state) {
        auto r = fn(c);
        if (!r)
            state.SkipWithError(r.error().what().c_str());
        benchmark::DoNotOptimize(r);
    }
}

#define KCALL_OP_BENCH(name, expr)                                   \
    void BM_lib_##name(benchmark::State &state)                      \
    {                                                                \
        run_op(state, static_cast<kcall::Transport>(state.range(0)), \
               [](kcall::Client &c) { return expr; });               \
    }                                                                \
    BENCHMARK(BM_lib_##name)                                         \
        ->ArgName("transport")                                       \
        ->Arg(static_cast<int>(kcall::Transport::ioctl))             \
        ->Arg(static_cast<int>(kcall::Transport::netlink))

KCALL_OP_BENCH(goodbye, c.goodbye());
KCALL_OP_BENCH(showparams, c.showparams(42));
KCALL_OP_BENCH(retparam, c.retparam(7));
KCALL_OP_BENCH(retpid, c.retpid(KCALL_PARENT));
KCALL_OP_BENCH(taskcount, c.taskcount());
KCALL_OP_BENCH(message, c.message("benchmark"));
KCALL_OP_BENCH(stats, c.stats());
KCALL_OP_BENCH(version, c.version());

// The C API's default connection over the transport range(0) names: the
// process's first connection decides every thread's (KCALL_TRANSPORT).
void capi_transport(const benchmark::State &state)
{
    setenv("KCALL_TRANSPORT", state.range(0) == 1 ? "ioctl" : "netlink", 1);
    kcall_release_default();
}

void BM_capi_retparam(benchmark::State &state)
{
    capi_transport(state);
    if (kcall_retparam(0) != 0)  // opens the connection, outside the timing
        state.SkipWithError("kcall_retparam");
    for (auto _ : state)
        benchmark::DoNotOptimize(kcall_retparam(7));
}
BENCHMARK(BM_capi_retparam)
    ->ArgName("transport")
    ->Arg(static_cast<int>(kcall::Transport::ioctl))
    ->Arg(static_cast<int>(kcall::Transport::netlink));

// --- batches: many operations per kernel entry -----------------------------------

// A hand-written KCALL_IOC_BATCH of ops retparam records, filled anew for
// every batch as a caller would.
void BM_batch_raw_ioctl(benchmark::State &state)
{
    const int fd = open("/dev/" KCALL_DEVICE_NAME, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        state.SkipWithError("open /dev/kcall");
        return;
    }
    const auto n = static_cast<uint32_t>(state.range(0));
    std::vector<kcall_batch_op> recs(n);
    for (auto _ : state) {
        for (auto &r : recs)
            r = {KCALL_CMD_RETPARAM, 0, 7, 0, 0};
        struct kcall_batch b {};
        b.size = sizeof(b);
        b.ops = reinterpret_cast<uintptr_t>(recs.data());
        b.nr_ops = n;
        if (ioctl(fd, KCALL_IOC_BATCH, &b) != 0 || b.nr_ops != n)
            state.SkipWithError("batch ioctl");
        benchmark::DoNotOptimize(recs.data());
    }
    state.counters["ops"] = n;
    close(fd);
}
BENCHMARK(BM_batch_raw_ioctl)->ArgName("ops")->Arg(1)->Arg(8)->Arg(32);

// A hand-written KCALL_CMD_BATCH of ops retparam records, encoded once
// (RawGenl::call()): the kernel's part of a netlink batch, against which
// the library's is measured.
void BM_batch_raw_genl(benchmark::State &state)
{
    RawGenl genl;
    if (!genl.ok()) {
        state.SkipWithError("resolve family kcall");
        return;
    }
    const auto n = static_cast<size_t>(state.range(0));
    std::vector<char> attrs;
    for (size_t i = 0; i < n; i++) {
        const uint32_t op = KCALL_CMD_RETPARAM;
        const int32_t arg = 7;
        const nlattr nest{static_cast<uint16_t>(NLA_HDRLEN + 2 * (NLA_HDRLEN + 4)),
                          KCALL_A_BATCH_OP | NLA_F_NESTED};
        const nlattr a_op{NLA_HDRLEN + 4, KCALL_BATCH_OP_A_OP};
        const nlattr a_arg{NLA_HDRLEN + 4, KCALL_BATCH_OP_A_ARG};
        const auto put = [&attrs](const void *p, size_t len) {
            const auto *c = static_cast<const char *>(p);
            attrs.insert(attrs.end(), c, c + len);
        };
        put(&nest, sizeof(nest));
        put(&a_op, sizeof(a_op));
        put(&op, sizeof(op));
        put(&a_arg, sizeof(a_arg));
        put(&arg, sizeof(arg));
    }
    for (auto _ : state) {
        if (genl.call(KCALL_CMD_BATCH, attrs) != 0)
            state.SkipWithError("batch request");
    }
    state.counters["ops"] = static_cast<double>(n);
}
BENCHMARK(BM_batch_raw_genl)->ArgName("ops")->Arg(1)->Arg(8)->Arg(32);

// The library's batch (kcall::Batch, Client::run) over each transport.
void BM_batch_lib(benchmark::State &state)
{
    kcall::Client c = open_client(static_cast<kcall::Transport>(state.range(0)));
    const auto n = static_cast<size_t>(state.range(1));
    kcall::Batch batch;
    for (size_t i = 0; i < n; i++)
        batch.retparam(7);
    for (auto _ : state) {
        auto r = c.run(batch);
        if (!r || r->size() != n)
            state.SkipWithError("batch");
        benchmark::DoNotOptimize(r);
    }
    state.counters["ops"] = static_cast<double>(n);
}
BENCHMARK(BM_batch_lib)
    ->ArgNames({"transport", "ops"})
    ->ArgsProduct({{static_cast<int>(kcall::Transport::ioctl),
                    static_cast<int>(kcall::Transport::netlink)},
                   {1, 8, 32}});

// --- io_uring: operations as KCALL_URING_CALL commands ---------------------------

// A hand-written liburing loop: depth retparam commands on the registered
// /dev/kcall, one io_uring_enter() to submit them and wait for them all.
void BM_uring_raw(benchmark::State &state)
{
    const int fd = open("/dev/" KCALL_DEVICE_NAME, O_RDWR | O_CLOEXEC);
    struct io_uring ring {};
    const auto depth = static_cast<unsigned>(state.range(0));
    if (fd < 0 || io_uring_queue_init(depth, &ring, 0) != 0) {
        state.SkipWithError("open /dev/kcall or io_uring");
        return;
    }
    if (io_uring_register_files(&ring, &fd, 1) != 0)
        state.SkipWithError("io_uring_register_files");
    struct kcall_uring_cmd cmd {};
    cmd.op = KCALL_CMD_RETPARAM;
    cmd.arg = 7;
    for (auto _ : state) {
        for (unsigned i = 0; i < depth; i++) {
            struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
            io_uring_prep_rw(IORING_OP_URING_CMD, sqe, 0, nullptr, 0, 0);
            sqe->flags = IOSQE_FIXED_FILE;
            sqe->cmd_op = KCALL_URING_CALL;
            std::memcpy(sqe->cmd, &cmd, sizeof(cmd));
        }
        if (io_uring_submit_and_wait(&ring, depth) != static_cast<int>(depth))
            state.SkipWithError("io_uring_submit_and_wait");
        struct io_uring_cqe *cqe = nullptr;
        unsigned head = 0, seen = 0;
        io_uring_for_each_cqe(&ring, head, cqe)
        {
            if (cqe->res != 7)
                state.SkipWithError("completion");
            seen++;
        }
        io_uring_cq_advance(&ring, seen);
        if (seen != depth)
            state.SkipWithError("completions");
    }
    state.counters["ops"] = depth;
    io_uring_queue_exit(&ring);
    close(fd);
}
BENCHMARK(BM_uring_raw)->ArgName("depth")->Arg(1)->Arg(8)->Arg(32);

// The library's kcall::Ring at the same depths.
void BM_uring_lib(benchmark::State &state)
{
    const auto depth = static_cast<unsigned>(state.range(0));
    kcall::RingOptions o;
    o.entries = depth;
    auto ring = kcall::Ring::open(o);
    if (!ring) {
        state.SkipWithError("kcall::Ring::open");
        return;
    }
    std::vector<kcall::RingCompletion> done(depth);
    for (auto _ : state) {
        for (unsigned i = 0; i < depth; i++)
            ring->push(kcall::Op::retparam, 7, i);
        if (!ring->submit(depth) || ring->reap(done.data(), depth) != depth)
            state.SkipWithError("submit/reap");
        benchmark::DoNotOptimize(done.data());
    }
    state.counters["ops"] = depth;
}
BENCHMARK(BM_uring_lib)->ArgName("depth")->Arg(1)->Arg(8)->Arg(32);

// --- taskcount against /proc and sysinfo --------------------------------------

Sleepers &sleepers()
{
    static Sleepers s;
    return s;
}

bool with_sleepers(benchmark::State &state)
{
    if (!sleepers().resize(static_cast<size_t>(state.range(0)))) {
        state.SkipWithError("cannot start the sleeping processes");
        return false;
    }
    return true;
}

int64_t count_proc()
{
    DIR *d = opendir("/proc");
    if (!d)
        return -1;
    int64_t n = 0;
    while (const dirent *e = readdir(d))
        if (std::isdigit(static_cast<unsigned char>(e->d_name[0])))
            n++;
    closedir(d);
    return n;
}

void BM_count_kcall_taskcount(benchmark::State &state)
{
    if (!with_sleepers(state))
        return;
    kcall::Client c = open_client(kcall::Transport::ioctl);
    uint64_t n = 0;
    for (auto _ : state)
        n = *c.taskcount();
    state.counters["processes"] = static_cast<double>(n);
}

void BM_count_proc_readdir(benchmark::State &state)
{
    if (!with_sleepers(state))
        return;
    int64_t n = 0;
    for (auto _ : state)
        benchmark::DoNotOptimize(n = count_proc());
    state.counters["processes"] = static_cast<double>(n);
}

void BM_count_sysinfo(benchmark::State &state)
{
    if (!with_sleepers(state))
        return;
    struct sysinfo si {};
    for (auto _ : state) {
        sysinfo(&si);
        benchmark::DoNotOptimize(si.procs);
    }
    // sysinfo counts threads of the whole machine, not processes of a
    // pid namespace: the cheap but different answer.
    state.counters["processes"] = static_cast<double>(si.procs);
}

#define KCALL_COUNT_BENCH(fn) \
    BENCHMARK(fn)->ArgName("extra")->Arg(0)->Arg(1000)->Arg(5000)->Unit(benchmark::kMicrosecond)
KCALL_COUNT_BENCH(BM_count_kcall_taskcount);
KCALL_COUNT_BENCH(BM_count_proc_readdir);
KCALL_COUNT_BENCH(BM_count_sysinfo);

void BM_count_cleanup(benchmark::State &state)
{
    sleepers().resize(0);
    for (auto _ : state)
        benchmark::DoNotOptimize(state.iterations());
}
BENCHMARK(BM_count_cleanup)->Iterations(1);

// --- throughput: 1 and 2 threads --------------------------------------------------

// A client per thread.
void BM_threads_lib_retparam(benchmark::State &state)
{
    kcall::Client c = open_client(static_cast<kcall::Transport>(state.range(0)));
    for (auto _ : state)
        benchmark::DoNotOptimize(c.retparam(7));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_threads_lib_retparam)
    ->ArgName("transport")
    ->Arg(static_cast<int>(kcall::Transport::ioctl))
    ->Arg(static_cast<int>(kcall::Transport::netlink))
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime();

// The C API's default connection: every thread calls without a handle.
void BM_threads_capi_retparam(benchmark::State &state)
{
    if (kcall_retparam(0) != 0)  // this thread's connection, outside the timing
        state.SkipWithError("kcall_retparam");
    for (auto _ : state)
        benchmark::DoNotOptimize(kcall_retparam(7));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_threads_capi_retparam)
    ->ArgName("transport")
    ->Arg(static_cast<int>(kcall::Transport::ioctl))
    ->Arg(static_cast<int>(kcall::Transport::netlink))
    ->Setup(capi_transport)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime();

}  // namespace
}  // namespace kcall_bench

BENCHMARK_MAIN();
