// SPDX-License-Identifier: GPL-2.0-only
// kcall_kfuzz: coverage-guided fuzzing of both transports with libFuzzer,
// fed by kernel coverage. Each input decodes into up to 24 steps (steps.h);
// each system call runs under KCOV, and the PCs inside kcall.ko's text
// become libFuzzer's extra counters, the feedback syzkaller's kcovfuzzer
// pioneered. The harness itself is not instrumented: only kernel coverage
// steers.
//
// libFuzzer's command line as usual (corpus directories, -max_total_time,
// -runs, a crash file to replay); kcall's settings come from the
// environment, so libFuzzer's flag parser never sees them:
//   KCALL_KO                the module file under test (required: its
//                           sections map the PCs)
//   KCALL_FUZZ_COVERAGE     append every newly reached site to this file
//   KCALL_FUZZ_THREADS=N    run each input on N threads at once
//   KCALL_FUZZ_RELOAD=1     unload and reload the module all the while
//   KCALL_FUZZ_FAILSLAB=1   fail-nth steps may fail kcall's allocations
//   KCALL_FUZZ_INIT_SWEEP=1 first unload and reload once under KCOV, so
//                           that module init and exit count as reached
//   KCALL_FUZZ_VERBOSE=1    one line per call on stderr (for replays)
// Without KCOV (a Debian kernel) it still replays inputs with every oracle.
#include <fcntl.h>
#include <liburing.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <barrier>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "steps.h"

// libFuzzer reads the section's bounds (__start_/__stop_) as extra
// counters: one per byte offset of kcall.ko's .text.
__attribute__((section("__libfuzzer_extra_counters"), used)) uint8_t kcall_kfuzz_counters[1 << 16];

namespace kcall_fuzz {

namespace {

struct Settings {
    std::string ko;
    int threads = 1;
    bool reload = false;
    bool failslab = false;
};

Settings g_settings;
ModuleMap *g_map = nullptr;

bool env_on(const char *name)
{
    const char *v = std::getenv(name);
    return v && *v && std::strcmp(v, "0") != 0;
}

bool write_file(const char *path, const std::string &v)
{
    const int fd = open(path, O_WRONLY | O_CLOEXEC);
    const bool ok = fd >= 0 && write(fd, v.data(), v.size()) == static_cast<ssize_t>(v.size());
    if (fd >= 0)
        close(fd);
    return ok;
}

// failslab for fail-nth: GFP_KERNEL allocations too, silent, and only
// where the stack passes through module space (kcall is the only module of
// the debug guest; its address moves with every reload).
bool arm_failslab()
{
    const char *d = "/sys/kernel/debug/failslab/";
    const auto set = [&](const char *f, const std::string &v) {
        return write_file((std::string(d) + f).c_str(), v);
    };
    return set("ignore-gfp-wait", "N") && set("verbose", "0") && set("times", "-1") &&
           set("require-start", std::to_string(0xffffffffa0000000ULL)) &&
           set("require-end", std::to_string(0xffffffffff000000ULL));
}

int load_module()
{
    const int fd = open(g_settings.ko.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    const long r = syscall(SYS_finit_module, fd, "", 0);
    const int err = r == 0 ? 0 : errno;
    close(fd);
    return err;
}

bool module_live()
{
    char state[16] = {};
    const int fd = open("/sys/module/kcall/initstate", O_RDONLY | O_CLOEXEC);
    const bool live =
        fd >= 0 && read(fd, state, sizeof(state) - 1) > 0 && std::strncmp(state, "live", 4) == 0;
    if (fd >= 0)
        close(fd);
    return live;
}

int unload_module()
{
    return syscall(SYS_delete_module, "kcall", O_NONBLOCK) == 0 ? 0 : errno;
}

// Module exit and init under KCOV, once: their sites count as reached.
void init_sweep()
{
    KcovTrace kcov;
    int err = EBUSY;
    for (int i = 0; i < 2000 && err == EBUSY; i++) {  // udev may hold it a moment
        g_map->refresh();
        kcov.start();
        err = unload_module();
        g_map->feed(kcov.stop(), kcall_kfuzz_counters, sizeof(kcall_kfuzz_counters));
        if (err == EBUSY || err == EAGAIN)
            std::this_thread::sleep_for(std::chrono::milliseconds(5)), err = EBUSY;
    }
    if (err)
        violation("init sweep: unload: %s", strerrorname_np(err));
    kcov.start();
    err = load_module();
    const auto pcs = kcov.stop();
    const std::vector<uint64_t> saved(pcs.begin(), pcs.end());
    if (err)
        violation("init sweep: load: %s", strerrorname_np(err));
    g_map->refresh();  // this load's addresses, .init.text's included
    g_map->feed(saved, kcall_kfuzz_counters, sizeof(kcall_kfuzz_counters));
    for (int i = 0; i < 200 && access("/dev/kcall", F_OK) != 0; i++)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

std::atomic<bool> g_stop_reloading{false};
std::atomic<bool> g_reloader_done{false};

// Unloads and reloads the module until the process ends; leaves it loaded.
void reloader()
{
    unsigned long reloads = 0;
    while (!g_stop_reloading) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2 + std::rand() % 20));
        if (unload_module() != 0)
            continue;  // busy: a descriptor is open
        std::this_thread::sleep_for(std::chrono::milliseconds(std::rand() % 5));
        int err = 0;
        for (int i = 0; i < 100 && (err = load_module()) != 0; i++)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (err)
            violation("reloader: the module does not load again: %s", strerrorname_np(err));
        if (++reloads % 100 == 0)
            std::fprintf(stderr, "kcall_kfuzz: %lu reloads\n", reloads);
    }
    std::fprintf(stderr, "kcall_kfuzz: %lu reloads in all\n", reloads);
    g_reloader_done = true;
}

// At exit (libFuzzer's time is up): the reloader ends its round, so that
// the module is loaded when the process is gone.
void stop_reloading()
{
    g_stop_reloading = true;
    for (int i = 0; i < 1000 && !g_reloader_done; i++)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

// One thread's lasting state.
struct Worker {
    Context cx;
    KcovTrace kcov;
    Stats stats;
    struct io_uring ring {};

    Worker()
    {
        // One ring per thread for uring_step, kept for the whole run.
        if (io_uring_queue_init(4, &ring, 0) == 0)
            cx.ring = &ring;
        cx.nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
        const int one = 1;
        // Extended ACKs: the model asks for the kernel's message on EINVAL.
        setsockopt(cx.nl, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
        setsockopt(cx.nl, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
        cx.listener = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
        resolve_family(cx);
        if (g_settings.failslab)
            cx.fail_nth = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
        cx.reloading = g_settings.reload;
        cx.verbose = env_on("KCALL_FUZZ_VERBOSE");
        cx.kcov = kcov.ok() ? &kcov : nullptr;
        cx.map = g_map;
        cx.counters = kcall_kfuzz_counters;
        cx.ncounters = sizeof(kcall_kfuzz_counters);
        // The stats model holds only while nothing else calls the module.
        if (g_settings.threads == 1 && !g_settings.reload)
            cx.stats = &stats;
    }

    void run(const uint8_t *data, size_t size)
    {
        if (cx.reloading) {
            // Only while it is loaded: asking genetlink for a missing
            // family makes the kernel run modprobe for it (autoload).
            cx.family = 0;
            if (module_live())
                resolve_family(cx);
            g_map->refresh();
        }
        cx.dev = open("/dev/" KCALL_DEVICE_NAME, O_RDWR | O_CLOEXEC);
        if (cx.dev < 0 && !cx.reloading)
            violation("/dev/kcall: %s", strerrorname_np(errno));
        Stats::Counters c{};
        if (cx.stats) {
            if (!Stats::read(cx.dev, &c))
                violation("stats: %s", strerrorname_np(errno));
            cx.stats->begin(c);
        }
        FuzzedDataProvider in(data, size);
        if (size == 0) {
            // Something for libFuzzer to start from: one pair.
            Request r;
            r.op = KCALL_CMD_RETPARAM;
            r.arg = 7;
            ioctl_call(cx, r);
            netlink_call(cx, r);
            batch_seeds(cx);
            uring_seeds(cx);
        }
        for (int steps = 0; in.remaining_bytes() && steps < 24; steps++) {
            switch (in.ConsumeIntegralInRange<int>(0, 12)) {
                case 0:
                case 1:
                case 2:
                case 3:
                    ioctl_step(in, cx);
                    break;
                case 4:
                case 5:
                case 6:
                case 7:
                    netlink_step(in, cx);
                    break;
                case 8:
                case 9:
                    pair_step(in, cx);
                    break;
                case 12:
                    uring_step(in, cx);
                    break;
                default:
                    side_step(in, cx);
                    break;
            }
        }
        cx.inject = 0;
        if (cx.stats) {
            if (!Stats::read(cx.dev, &c))
                violation("stats: %s", strerrorname_np(errno));
            cx.stats->end(c);
        }
        if (cx.listening)
            drain_events(cx);
        if (cx.dev >= 0)
            close(cx.dev);
        cx.dev = -1;
    }
};

// The threads of KCALL_FUZZ_THREADS: each input runs on all of them at
// once, between two barriers. Never torn down: libFuzzer ends the process.
struct Pool {
    std::barrier<> go;
    std::barrier<> done;
    const uint8_t *data = nullptr;
    size_t size = 0;

    explicit Pool(int n) : go(n), done(n)
    {
        for (int i = 1; i < n; i++) {
            std::thread([this] {
                Worker w;
                for (;;) {
                    go.arrive_and_wait();
                    w.run(data, size);
                    done.arrive_and_wait();
                }
            }).detach();
        }
    }
};

Worker *g_main = nullptr;
Pool *g_pool = nullptr;

}  // namespace

}  // namespace kcall_fuzz

using namespace kcall_fuzz;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    const char *ko = std::getenv("KCALL_KO");
    if (!ko) {
        std::fprintf(stderr, "kcall_kfuzz: KCALL_KO must name the module under test\n");
        std::exit(2);
    }
    g_settings.ko = ko;
    const char *threads = std::getenv("KCALL_FUZZ_THREADS");
    g_settings.threads = threads ? std::max(1, std::atoi(threads)) : 1;
    g_settings.reload = env_on("KCALL_FUZZ_RELOAD");
    g_settings.failslab = env_on("KCALL_FUZZ_FAILSLAB");
    const char *cov = std::getenv("KCALL_FUZZ_COVERAGE");
    g_map = new ModuleMap(ko, cov ? cov : "");
    if (g_map->sections().empty()) {
        std::fprintf(stderr, "kcall_kfuzz: %s has no executable sections\n", ko);
        std::exit(2);
    }
    if (g_settings.failslab && !arm_failslab()) {
        std::fprintf(stderr, "kcall_kfuzz: no failslab with a stack filter: fail-nth off\n");
        g_settings.failslab = false;
    }
    // The tracepoint may be left enabled by a trace step: off at exit.
    std::atexit([] { write_file("/sys/kernel/tracing/events/kcall/kcall_call/enable", "0"); });
    if (env_on("KCALL_FUZZ_INIT_SWEEP"))
        init_sweep();
    if (!g_map->refresh()) {
        std::fprintf(stderr, "kcall_kfuzz: kcall is not loaded\n");
        std::exit(2);
    }
    g_main = new Worker;
    if (!g_main->cx.kcov)
        std::fprintf(stderr, "kcall_kfuzz: no KCOV in this kernel: no feedback, oracles only\n");
    if (!g_main->cx.family) {
        std::fprintf(stderr, "kcall_kfuzz: family %s not found\n", KCALL_GENL_NAME);
        std::exit(2);
    }
    if (g_settings.threads > 1)
        g_pool = new Pool(g_settings.threads);
    if (g_settings.reload) {
        std::thread(reloader).detach();
        std::atexit(stop_reloading);
    }
    std::fprintf(stderr, "kcall_kfuzz: %d thread(s)%s%s, %zu sections of %s\n", g_settings.threads,
                 g_settings.reload ? ", reloading" : "", g_settings.failslab ? ", fail-nth" : "",
                 g_map->sections().size(), ko);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (g_pool) {
        g_pool->data = data;
        g_pool->size = size;
        g_pool->go.arrive_and_wait();
    }
    g_main->run(data, size);
    if (g_pool)
        g_pool->done.arrive_and_wait();
    return 0;
}
