// SPDX-License-Identifier: GPL-2.0-only
// The longest stretch a CPU spends in kcall without a scheduling point, as
// a function of pids and records (run in a guest, by hand):
//
//   kcall_sched_gap [-p PIDS,...] [-r RECORDS,...] [-n ROUNDS]
//
// For each number of pids it starts that many sleeping threads (each one a
// pid that taskcount's walk visits), then runs, pinned to one CPU beside a
// witness thread pinned to the same CPU: one taskcount ioctl, a batch of R
// taskcount records (KCALL_IOC_BATCH) and one io_uring_enter() of R
// taskcount commands. The witness reads the clock in a loop; the longest
// gap between two of its reads while a call runs is the longest the CPU
// was kept from it, that is, the longest stretch without a scheduling
// point (plus one time slice: the scheduler's own). On a kernel with
// voluntary or no preemption, a call without scheduling points shows its
// whole duration; with them, a few milliseconds.
#include <fcntl.h>
#include <liburing.h>
#include <pthread.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include <kcall.h>

namespace {

using Clock = std::chrono::steady_clock;

std::atomic<bool> measuring{false}, quit{false};
std::atomic<int64_t> max_gap_ns{0};

void pin(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof(set), &set) != 0)
        std::perror("sched_setaffinity");
}

// Reads the clock as often as it runs; records the longest gap while measuring.
void *witness(void *)
{
    pin(0);
    auto last = Clock::now();
    while (!quit.load(std::memory_order_relaxed)) {
        const auto now = Clock::now();
        const int64_t gap =
            std::chrono::duration_cast<std::chrono::nanoseconds>(now - last).count();
        if (measuring.load(std::memory_order_relaxed) &&
            gap > max_gap_ns.load(std::memory_order_relaxed))
            max_gap_ns.store(gap, std::memory_order_relaxed);
        last = now;
    }
    return nullptr;
}

void *sleeper(void *)
{
    for (;;)
        pause();
    return nullptr;
}

std::vector<long> numbers(const char *arg)
{
    std::vector<long> v;
    std::stringstream s(arg);
    std::string item;
    while (std::getline(s, item, ','))
        v.push_back(std::strtol(item.c_str(), nullptr, 10));
    return v;
}

struct Sample {
    double ms = 0;      // the call's duration
    double gap_ms = 0;  // the witness's longest gap during it
};

template <typename F>
Sample measure(int rounds, F call)
{
    Sample worst;
    for (int i = 0; i < rounds; i++) {
        max_gap_ns = 0;
        // Let the witness run first, so that its last read is fresh.
        sched_yield();
        measuring = true;
        const auto start = Clock::now();
        call();
        const auto end = Clock::now();
        measuring = false;
        worst.ms =
            std::max(worst.ms, std::chrono::duration<double, std::milli>(end - start).count());
        worst.gap_ms = std::max(worst.gap_ms, max_gap_ns.load() / 1e6);
    }
    return worst;
}

void taskcount(int fd)
{
    kcall_taskcount a{};
    a.size = sizeof(a);
    if (ioctl(fd, KCALL_IOC_TASKCOUNT, &a) != 0)
        std::perror("KCALL_IOC_TASKCOUNT");
}

void batch(int fd, std::vector<kcall_batch_op> &ops)
{
    for (auto &op : ops)
        op = kcall_batch_op{KCALL_CMD_TASKCOUNT, 0, 0, 0, 0};
    kcall_batch b{};
    b.size = sizeof(b);
    b.ops = reinterpret_cast<uintptr_t>(ops.data());
    b.nr_ops = static_cast<uint32_t>(ops.size());
    if (ioctl(fd, KCALL_IOC_BATCH, &b) != 0)
        std::perror("KCALL_IOC_BATCH");
}

// R taskcount commands in one io_uring_enter(), and their completions.
void uring(int fd, struct io_uring *ring, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
        io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, nullptr, 0, 0);
        sqe->cmd_op = KCALL_URING_CALL;
        kcall_uring_cmd cmd{};
        cmd.op = KCALL_CMD_TASKCOUNT;
        std::memcpy(sqe->cmd, &cmd, sizeof(cmd));
    }
    if (io_uring_submit_and_wait(ring, n) < 0)
        std::perror("io_uring_submit_and_wait");
    struct io_uring_cqe *cqe;
    unsigned head, seen = 0;
    io_uring_for_each_cqe(ring, head, cqe) seen++;
    io_uring_cq_advance(ring, seen);
}

}  // namespace

int main(int argc, char **argv)
{
    std::vector<long> pids = {1000, 8000, 16000}, records = {1, 64, 1024};
    int rounds = 3, opt;
    while ((opt = getopt(argc, argv, "p:r:n:")) != -1) {
        switch (opt) {
            case 'p':
                pids = numbers(optarg);
                break;
            case 'r':
                records = numbers(optarg);
                break;
            case 'n':
                rounds = std::atoi(optarg);
                break;
            default:
                std::fprintf(stderr, "usage: %s [-p PIDS,...] [-r RECORDS,...] [-n ROUNDS]\n",
                             argv[0]);
                return 2;
        }
    }
    const int fd = open("/dev/" KCALL_DEVICE_NAME, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        std::perror("/dev/kcall");
        return 1;
    }
    const unsigned max_records =
        static_cast<unsigned>(*std::max_element(records.begin(), records.end()));
    struct io_uring ring;
    if (int err = io_uring_queue_init(max_records, &ring, 0); err < 0) {
        std::fprintf(stderr, "io_uring_queue_init: %s\n", std::strerror(-err));
        return 1;
    }
    pin(0);
    pthread_t w;
    pthread_create(&w, nullptr, witness, nullptr);
    pthread_attr_t small;
    pthread_attr_init(&small);
    pthread_attr_setstacksize(&small, PTHREAD_STACK_MIN);
    long started = 0;
    std::printf("%8s %8s %-8s %10s %12s\n", "pids", "records", "path", "call ms", "max gap ms");
    for (long want : pids) {
        for (; started < want; started++) {
            pthread_t t;
            if (pthread_create(&t, &small, sleeper, nullptr) != 0) {
                std::fprintf(stderr, "only %ld threads: %s\n", started, std::strerror(errno));
                break;
            }
        }
        const Sample one = measure(rounds, [&] { taskcount(fd); });
        std::printf("%8ld %8d %-8s %10.2f %12.2f\n", started, 1, "ioctl", one.ms, one.gap_ms);
        for (long r : records) {
            std::vector<kcall_batch_op> ops(static_cast<size_t>(r));
            const Sample b = measure(rounds, [&] { batch(fd, ops); });
            std::printf("%8ld %8ld %-8s %10.2f %12.2f\n", started, r, "batch", b.ms, b.gap_ms);
            const Sample u = measure(rounds, [&] { uring(fd, &ring, static_cast<unsigned>(r)); });
            std::printf("%8ld %8ld %-8s %10.2f %12.2f\n", started, r, "io_uring", u.ms, u.gap_ms);
            std::fflush(stdout);
        }
    }
    quit = true;
    pthread_join(w, nullptr);
    io_uring_queue_exit(&ring);
    // The sleepers end with the process.
    std::fflush(stdout);
    _exit(0);
}
