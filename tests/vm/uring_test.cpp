// SPDX-License-Identifier: GPL-2.0-only
// io_uring commands on /dev/kcall (uapi/kcall.h, KCALL_URING_CALL): each
// operation completes with its result or errno, is counted as the same
// ioctl, and keeps naming the calling process -- pid, parent, comm and
// privilege -- also when io_uring runs it in an io-wq worker (IOSQE_ASYNC)
// or in the ring's SQPOLL thread.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <liburing.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include <kcall.h>

#include <kcall/kcall.h>
#include <kcall/kcall.hpp>

#include "kmsg_reader.h"
#include "privilege.h"
#include "proc_util.h"

namespace kcall_test {
namespace {

enum class Mode { inline_issue, async, sqpoll };

std::string mode_name(const testing::TestParamInfo<Mode> &info)
{
    switch (info.param) {
        case Mode::inline_issue:
            return "Inline";
        case Mode::async:
            return "IosqeAsync";
        case Mode::sqpoll:
            return "Sqpoll";
    }
    return "?";
}

kcall::RingOptions options(Mode m)
{
    kcall::RingOptions o;
    o.entries = 16;
    o.sqpoll = m == Mode::sqpoll;
    o.async = m == Mode::async;
    return o;
}

// calls and failures of op now (ioctl stats).
std::pair<uint64_t, uint64_t> counts(kcall::Op op)
{
    auto c = kcall::Client::open(kcall::Transport::ioctl);
    EXPECT_TRUE(c);
    auto s = c->stats();
    EXPECT_TRUE(s);
    for (const auto &e : *s)
        if (e.op == kcall::op_number(op))
            return {e.calls, e.failures};
    ADD_FAILURE() << "no stats for " << kcall::to_string(op);
    return {};
}

// Pushes one operation, submits it and returns its completion.
kcall::RingCompletion one(kcall::Ring &r, kcall::Op op, int32_t arg, uint64_t tag = 77)
{
    EXPECT_TRUE(r.push(op, arg, tag));
    auto c = r.next();
    EXPECT_TRUE(c) << c.error().what();
    if (!c)
        return {};
    EXPECT_EQ(c->tag, tag);
    return *c;
}

class Uring : public testing::TestWithParam<Mode> {};

TEST_P(Uring, EveryOperationCompletesWithItsResultOrErrno)
{
    auto r = kcall::Ring::open(options(GetParam()));
    ASSERT_TRUE(r) << r.error().what();
    EXPECT_EQ(one(*r, kcall::Op::retparam, 7).result, 7);
    EXPECT_EQ(one(*r, kcall::Op::retparam, 1024).result, 1024);
    EXPECT_EQ(one(*r, kcall::Op::retparam, 1025).error, EINVAL);
    EXPECT_EQ(one(*r, kcall::Op::retparam, -1).error, EINVAL);
    // The caller is this process (a worker thread's tgid is the process's)
    // and its parent, whoever runs the command.
    const auto self = one(*r, kcall::Op::retpid, KCALL_RETPID_SELF);
    EXPECT_EQ(self.error, 0);
    EXPECT_EQ(self.result, getpid());
    const auto parent = one(*r, kcall::Op::retpid, KCALL_RETPID_PARENT);
    EXPECT_EQ(parent.error, 0);
    EXPECT_EQ(parent.result, getppid());
    EXPECT_EQ(one(*r, kcall::Op::retpid, 99).error, EINVAL);
    const auto tasks = one(*r, kcall::Op::taskcount, 0);
    EXPECT_EQ(tasks.error, 0);
    EXPECT_GT(tasks.result, 1);
    EXPECT_EQ(one(*r, kcall::Op::goodbye, 0).error, 0);
    EXPECT_EQ(one(*r, kcall::Op::showparams, -5).error, 0);
    // Pointers and the rest: not through io_uring, as not in a batch.
    for (auto op : {kcall::Op::message, kcall::Op::stats, kcall::Op::version})
        EXPECT_EQ(one(*r, op, 0).error, EOPNOTSUPP) << kcall::to_string(op);
    EXPECT_EQ(r->in_flight(), 0U);
}

TEST_P(Uring, EachCommandIsCountedAsTheSameIoctl)
{
    auto r = kcall::Ring::open(options(GetParam()));
    ASSERT_TRUE(r) << r.error().what();
    const auto before = counts(kcall::Op::retparam);
    const auto msg_before = counts(kcall::Op::message);
    EXPECT_EQ(one(*r, kcall::Op::retparam, 3).error, 0);
    EXPECT_EQ(one(*r, kcall::Op::retparam, 5000).error, EINVAL);
    EXPECT_EQ(one(*r, kcall::Op::message, 0).error, EOPNOTSUPP);
    const auto after = counts(kcall::Op::retparam);
    EXPECT_EQ(after.first - before.first, 2U);
    EXPECT_EQ(after.second - before.second, 1U);
    EXPECT_EQ(counts(kcall::Op::message), msg_before);  // never ran
}

TEST_P(Uring, ManyInFlightCompleteByTag)
{
    auto r = kcall::Ring::open(options(GetParam()));
    ASSERT_TRUE(r) << r.error().what();
    unsigned pushed = 0;
    while (r->push(kcall::Op::retparam, static_cast<int32_t>(pushed), 1000 + pushed))
        pushed++;
    EXPECT_GE(pushed, 16U);  // the queue is full, not the first push failed
    auto s = r->submit(pushed);
    ASSERT_TRUE(s) << s.error().what();
    EXPECT_EQ(*s, pushed);
    std::vector<kcall::RingCompletion> done(pushed + 4);
    std::size_t got = 0;
    while (got < pushed) {
        const std::size_t n = r->reap(done.data() + got, done.size() - got);
        if (n == 0) {
            auto c = r->next();
            ASSERT_TRUE(c) << c.error().what();
            done[got++] = *c;
            continue;
        }
        got += n;
    }
    EXPECT_EQ(got, pushed);
    std::vector<bool> seen(pushed);
    for (std::size_t i = 0; i < got; i++) {
        const auto &c = done[i];
        ASSERT_GE(c.tag, 1000U);
        ASSERT_LT(c.tag, 1000U + pushed);
        const auto k = c.tag - 1000;
        EXPECT_FALSE(seen[k]) << "tag twice: " << c.tag;
        seen[k] = true;
        EXPECT_EQ(c.error, 0);
        EXPECT_EQ(c.result, static_cast<int64_t>(k));
    }
    EXPECT_EQ(r->in_flight(), 0U);
}

// stats_reset's privilege is the credentials io_uring runs the command
// with, wherever it runs (inline, stats_reset itself is retried in an
// io-wq worker: it may block), and the device's opener's, as for ioctl.
TEST_P(Uring, StatsResetNeedsCapSysAdminWhereverItRuns)
{
    const Mode m = GetParam();
    const auto reset = [m] {
        auto r = kcall::Ring::open(options(m));
        if (!r)
            return "open: " + r.error().what();
        const auto c = one(*r, kcall::Op::stats_reset, 0);
        return std::string(c.error ? std::strerror(c.error) : "ok");
    };
    EXPECT_EQ(run_with(Privilege::nobody, reset), std::strerror(EPERM));
    EXPECT_EQ(run_with(Privilege::root_no_sys_admin, reset), std::strerror(EPERM));
    EXPECT_EQ(run_with(Privilege::only_sys_admin, reset), "ok");
    EXPECT_EQ(run_with(Privilege::unchanged, reset), "ok");
}

// Events name the process, not io_uring's worker thread.
TEST_P(Uring, EventsNameTheProcessAndItsComm)
{
    auto m = kcall::Monitor::open();
    ASSERT_TRUE(m) << m.error().what();
    auto r = kcall::Ring::open(options(GetParam()));
    ASSERT_TRUE(r) << r.error().what();
    EXPECT_EQ(one(*r, kcall::Op::retparam, 606).result, 606);
    for (;;) {
        auto e = m->next(2000);
        ASSERT_TRUE(e) << "no event: " << e.error().what();
        if (e->op != KCALL_CMD_RETPARAM || e->arg != 606)
            continue;
        EXPECT_EQ(e->pid, getpid());
        EXPECT_EQ(e->comm, self_comm());
        EXPECT_EQ(e->transport, kcall::Transport::ioctl);
        EXPECT_EQ(e->result, 606);
        break;
    }
}

INSTANTIATE_TEST_SUITE_P(Modes, Uring,
                         testing::Values(Mode::inline_issue, Mode::async, Mode::sqpoll), mode_name);

// Under SQPOLL, submit() hands the SQEs over when it publishes the ring's
// tail, before any system call. Its wait for completions, here for one
// more than there will be, ends with the timer's signal (no SA_RESTART):
// io_uring then returns the count it was given, or EINTR when the poller
// had already taken every SQE before submit() read the ring's head (a
// race: the loop tries it repeatedly). Either way the SQEs run and
// complete, so they are in flight and next() takes each once: the count
// never goes below zero.
TEST(UringSqpoll, AnInterruptedWaitKeepsWhatWasHandedOverInFlight)
{
    struct sigaction quiet {};
    quiet.sa_handler = [](int) {};
    struct sigaction old {};
    ASSERT_EQ(sigaction(SIGALRM, &quiet, &old), 0);
    auto r = kcall::Ring::open(options(Mode::sqpoll));
    ASSERT_TRUE(r) << r.error().what();
    constexpr unsigned pushed = 4;
    constexpr int rounds = 20;
    int interrupted = 0;
    for (int round = 0; round < rounds && !HasFailure(); round++) {
        for (unsigned i = 0; i < pushed; i++)
            ASSERT_TRUE(r->push(kcall::Op::retparam, static_cast<int32_t>(i), 500 + i));
        // Every 20 ms until the wait has ended: one signal could come
        // before it starts, and the wait would then never end.
        struct itimerval every_20ms {};
        every_20ms.it_value.tv_usec = 20000;
        every_20ms.it_interval.tv_usec = 20000;
        ASSERT_EQ(setitimer(ITIMER_REAL, &every_20ms, nullptr), 0);
        auto s = r->submit(pushed + 1);
        const itimerval off = {};
        setitimer(ITIMER_REAL, &off, nullptr);
        if (!s) {
            EXPECT_EQ(s.error().code, EINTR) << s.error().what();
            interrupted++;
        } else {
            EXPECT_EQ(*s, pushed);
        }
        EXPECT_EQ(r->in_flight(), pushed);
        std::vector<bool> seen(pushed);
        for (unsigned i = 0; i < pushed; i++) {
            auto c = r->next();
            ASSERT_TRUE(c) << c.error().what();
            ASSERT_GE(c->tag, 500U);
            ASSERT_LT(c->tag, 500U + pushed);
            EXPECT_FALSE(seen[c->tag - 500]) << "tag twice: " << c->tag;
            seen[c->tag - 500] = true;
            EXPECT_EQ(c->result, static_cast<int64_t>(c->tag - 500));
        }
        EXPECT_EQ(r->in_flight(), 0U);
    }
    sigaction(SIGALRM, &old, nullptr);
    auto none = r->next();
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, ENOENT);
    std::printf("SQPOLL: %d of %d interrupted waits returned EINTR\n", interrupted, rounds);
}

// One command on a raw ring: the completion's res.
int raw_call(struct io_uring *ring, int fd, uint32_t op, int32_t arg)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
    if (!sqe)
        return -ENOSPC;
    io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, nullptr, 0, 0);
    sqe->cmd_op = KCALL_URING_CALL;
    kcall_uring_cmd cmd{};
    cmd.op = op;
    cmd.arg = arg;
    std::memcpy(sqe->cmd, &cmd, sizeof(cmd));
    // Not "== 1": under SQPOLL liburing counts the SQEs the poller has not
    // taken yet, and a poller on another CPU may already have taken this one.
    if (io_uring_submit(ring) < 0)
        return -EIO;
    struct io_uring_cqe *cqe = nullptr;
    if (io_uring_wait_cqe(ring, &cqe) != 0)
        return -EIO;
    const int res = cqe->res;
    io_uring_cqe_seen(ring, cqe);
    return res;
}

// SQPOLL across namespaces is the contract (uapi/kcall.h): a ring created
// here and used by a process in a new pid namespace (its pid 1, alone
// there) runs its commands as this process's SQPOLL thread: retpid says
// this process's pid, taskcount counts this namespace. A ring without
// SQPOLL runs them as the submitter: pid 1, a namespace of one.
TEST(UringSqpoll, ARingHandedToAnotherPidNamespaceRunsAsItsCreator)
{
    const int fd = open("/dev/" KCALL_DEVICE_NAME, O_RDWR | O_CLOEXEC);
    ASSERT_GE(fd, 0) << std::strerror(errno);
    struct io_uring sq {
    }, plain{};
    struct io_uring_params p {};
    p.flags = IORING_SETUP_SQPOLL;
    p.sq_thread_idle = 1000;
    ASSERT_EQ(io_uring_queue_init_params(8, &sq, &p), 0);
    ASSERT_EQ(io_uring_queue_init(8, &plain, 0), 0);
    const int here = raw_call(&sq, fd, KCALL_CMD_TASKCOUNT, 0);
    ASSERT_GT(here, 1);
    int out[2];
    ASSERT_EQ(pipe(out), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        // The child's children are in a new pid namespace, the first its pid 1.
        if (unshare(CLONE_NEWPID) != 0)
            _exit(2);
        const pid_t init = fork();
        if (init == 0) {
            const int r[4] = {
                raw_call(&sq, fd, KCALL_CMD_RETPID, KCALL_RETPID_SELF),
                raw_call(&sq, fd, KCALL_CMD_TASKCOUNT, 0),
                raw_call(&plain, fd, KCALL_CMD_RETPID, KCALL_RETPID_SELF),
                raw_call(&plain, fd, KCALL_CMD_TASKCOUNT, 0),
            };
            _exit(write(out[1], r, sizeof(r)) == sizeof(r) ? 0 : 3);
        }
        int status = 0;
        _exit(init > 0 && waitpid(init, &status, 0) == init && WIFEXITED(status)
                  ? WEXITSTATUS(status)
                  : 4);
    }
    close(out[1]);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 0);
    int r[4] = {};
    ASSERT_EQ(read(out[0], r, sizeof(r)), static_cast<ssize_t>(sizeof(r)));
    close(out[0]);
    EXPECT_EQ(r[0], getpid()) << "SQPOLL: the creator's pid";
    EXPECT_GT(r[1], 1) << "SQPOLL: the creator's pid namespace";
    EXPECT_EQ(r[2], 1) << "no SQPOLL: the submitter's pid";
    EXPECT_EQ(r[3], 1) << "no SQPOLL: the submitter's pid namespace";
    io_uring_queue_exit(&plain);
    io_uring_queue_exit(&sq);
    close(fd);
}

// Log lines name the process and its comm in every mode. Its own suite:
// it waits out the log's rate limit first (as KernelLog does).
TEST(UringLog, LinesNameTheProcessNotTheWorker)
{
    usleep(5'100'000);
    KmsgReader kmsg;
    ASSERT_TRUE(kmsg.ok());
    kmsg.read_new();
    const std::string caller =
        "[pid " + std::to_string(getpid()) + " comm \"" + self_comm() + "\"]";
    int32_t value = 731000;
    for (Mode m : {Mode::inline_issue, Mode::async, Mode::sqpoll}) {
        auto r = kcall::Ring::open(options(m));
        ASSERT_TRUE(r) << r.error().what();
        ++value;
        EXPECT_EQ(one(*r, kcall::Op::showparams, value).error, 0);
        const auto lines = matching(kmsg.read_new(), "showparams(" + std::to_string(value) + ")");
        ASSERT_EQ(lines.size(), 1U) << "mode " << static_cast<int>(m);
        EXPECT_EQ(lines[0], "kcall: " + caller + " showparams(" + std::to_string(value) + ")");
    }
}

// The tracepoint's lines of kcall_call, read from a tracing instance of
// the test's own: each names the thread that ran the call (the line's
// task, common_pid; its comm shows as "<...>" in the guests, which record
// none) and, in pid=, its process.
class UringInline : public testing::Test {
protected:
    struct Line {
        std::string op;
        pid_t tid = 0, pid = 0;
    };

    void SetUp() override
    {
        struct stat st {};
        if (stat((kTracing + "/events").c_str(), &st) != 0) {
            ASSERT_EQ(mount("tracefs", kTracing.c_str(), "tracefs", 0, nullptr), 0)
                << "mount tracefs: " << std::strerror(errno);
        }
        rmdir(kInstance.c_str());
        ASSERT_EQ(mkdir(kInstance.c_str(), 0755), 0) << std::strerror(errno);
    }
    void TearDown() override
    {
        write_file(kInstance + "/events/kcall/enable", "0");
        rmdir(kInstance.c_str());
    }

    static bool write_file(const std::string &path, const std::string &text)
    {
        std::ofstream out(path);
        out << text;
        out.flush();
        return out.good();
    }

    static std::vector<Line> lines()
    {
        std::ifstream in(kInstance + "/trace");
        // "<...>-1234 [000] ..... 12.345678: kcall_call: op=taskcount pid=1230 ..."
        const std::regex re(R"(^\s*.*-(\d+)\s+\[\d+\].*kcall_call: op=(\w+) pid=(-?\d+))");
        std::vector<Line> out;
        std::smatch m;
        for (std::string l; std::getline(in, l);)
            if (std::regex_search(l, m, re))
                out.push_back({m[2], std::stoi(m[1]), std::stoi(m[3])});
        return out;
    }

    static inline const std::string kTracing = "/sys/kernel/tracing";
    static inline const std::string kInstance = kTracing + "/instances/kcall_uring_test";
};

// A taskcount submitted without IOSQE_ASYNC does not run in the
// submitter's io_uring_enter(): io_uring issues it first as "do not
// block", and the module, since a walk may take long, has it issued again
// in an io-wq worker, a thread of this process. A retparam, the control,
// runs inline, in this thread.
TEST_F(UringInline, ATaskcountGoesToAnIoWqWorker)
{
    const int fd = open("/dev/" KCALL_DEVICE_NAME, O_RDWR | O_CLOEXEC);
    ASSERT_GE(fd, 0) << std::strerror(errno);
    struct io_uring ring {};
    ASSERT_EQ(io_uring_queue_init(8, &ring, 0), 0);
    ASSERT_TRUE(write_file(kInstance + "/events/kcall/kcall_call/enable", "1"));
    for (uint32_t op : {KCALL_CMD_RETPARAM, KCALL_CMD_TASKCOUNT}) {
        struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
        io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, nullptr, 0, 0);
        sqe->cmd_op = KCALL_URING_CALL;
        kcall_uring_cmd cmd{};
        cmd.op = op;
        cmd.arg = op == KCALL_CMD_RETPARAM ? 5 : 0;
        std::memcpy(sqe->cmd, &cmd, sizeof(cmd));
        EXPECT_EQ(io_uring_submit(&ring), 1);
        struct io_uring_cqe *cqe = nullptr;
        ASSERT_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
        EXPECT_GE(cqe->res, 0) << std::strerror(-cqe->res);
        io_uring_cqe_seen(&ring, cqe);
    }
    ASSERT_TRUE(write_file(kInstance + "/events/kcall/kcall_call/enable", "0"));
    io_uring_queue_exit(&ring);
    close(fd);

    const auto got = lines();
    const pid_t self = gettid();
    int retparams = 0, taskcounts = 0;
    for (const auto &l : got) {
        if (l.pid != getpid())
            continue;  // another process's call
        if (l.op == "retparam") {
            retparams++;
            EXPECT_EQ(l.tid, self) << "retparam ran in thread " << l.tid;
        } else if (l.op == "taskcount") {
            taskcounts++;
            EXPECT_NE(l.tid, self) << "taskcount ran in the submitting thread";
            // The worker, if it still exists (io-wq ends idle ones).
            std::ifstream comm("/proc/self/task/" + std::to_string(l.tid) + "/comm");
            std::string name;
            if (l.tid != self && comm >> name) {
                EXPECT_EQ(name.rfind("iou-wrk-", 0), 0U) << name;
            }
        }
    }
    EXPECT_EQ(retparams, 1);
    EXPECT_EQ(taskcounts, 1);
}

// The command's bytes as the uapi defines them, without the library.
class UringRaw : public testing::Test {
protected:
    void SetUp() override
    {
        fd_ = open("/dev/" KCALL_DEVICE_NAME, O_RDWR | O_CLOEXEC);
        ASSERT_GE(fd_, 0) << std::strerror(errno);
        ASSERT_EQ(io_uring_queue_init(8, &ring_, 0), 0);
    }
    void TearDown() override
    {
        io_uring_queue_exit(&ring_);
        close(fd_);
    }

    // The completion's res for one command.
    int run(uint32_t cmd_op, const kcall_uring_cmd &cmd)
    {
        struct io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
        io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd_, nullptr, 0, 0);
        sqe->cmd_op = cmd_op;
        std::memcpy(sqe->cmd, &cmd, sizeof(cmd));
        EXPECT_EQ(io_uring_submit(&ring_), 1);
        struct io_uring_cqe *cqe = nullptr;
        EXPECT_EQ(io_uring_wait_cqe(&ring_, &cqe), 0);
        const int res = cqe ? cqe->res : -12345;
        if (cqe)
            io_uring_cqe_seen(&ring_, cqe);
        return res;
    }

    static kcall_uring_cmd cmd(uint32_t op, int32_t arg = 0)
    {
        kcall_uring_cmd c{};
        c.op = op;
        c.arg = arg;
        return c;
    }

    int fd_ = -1;
    struct io_uring ring_ {};
};

TEST_F(UringRaw, ResultIsTheCompletionsRes)
{
    EXPECT_EQ(run(KCALL_URING_CALL, cmd(KCALL_CMD_RETPARAM, 99)), 99);
    EXPECT_EQ(run(KCALL_URING_CALL, cmd(KCALL_CMD_RETPARAM, 2000)), -EINVAL);
    EXPECT_EQ(run(KCALL_URING_CALL, cmd(KCALL_CMD_RETPID, KCALL_RETPID_SELF)), getpid());
}

TEST_F(UringRaw, AnotherCmdOpIsNoCommand)
{
    EXPECT_EQ(run(KCALL_IOC_RETPARAM, cmd(KCALL_CMD_RETPARAM, 1)), -ENOTTY);
    EXPECT_EQ(run(KCALL_URING_CALL + 1, cmd(KCALL_CMD_RETPARAM, 1)), -ENOTTY);
    EXPECT_EQ(run(0, cmd(KCALL_CMD_RETPARAM, 1)), -ENOTTY);
}

TEST_F(UringRaw, ReservedMustBeZeroAndNothingRuns)
{
    const auto before = counts(kcall::Op::retparam);
    auto c = cmd(KCALL_CMD_RETPARAM, 1);
    c.__reserved = 1;
    EXPECT_EQ(run(KCALL_URING_CALL, c), -EINVAL);
    EXPECT_EQ(counts(kcall::Op::retparam), before);
}

TEST_F(UringRaw, FlagsMustBeZeroAndCountAsTheOperationsFailure)
{
    const auto before = counts(kcall::Op::retparam);
    auto c = cmd(KCALL_CMD_RETPARAM, 1);
    c.flags = 1;
    EXPECT_EQ(run(KCALL_URING_CALL, c), -EINVAL);
    const auto after = counts(kcall::Op::retparam);
    EXPECT_EQ(after.first - before.first, 1U);
    EXPECT_EQ(after.second - before.second, 1U);
}

TEST_F(UringRaw, NumbersNoBatchCarriesAreNotSupported)
{
    for (uint32_t op :
         {0U, static_cast<uint32_t>(KCALL_CMD_MESSAGE), static_cast<uint32_t>(KCALL_CMD_STATS),
          static_cast<uint32_t>(KCALL_CMD_VERSION), static_cast<uint32_t>(KCALL_CMD_EVENT),
          static_cast<uint32_t>(KCALL_CMD_BATCH), 4096U, 0xffffffffU})
        EXPECT_EQ(run(KCALL_URING_CALL, cmd(op)), -EOPNOTSUPP) << op;
}

TEST_F(UringRaw, ModuleAnnouncesIt)
{
    struct kcall_version v {};
    v.size = sizeof(v);
    ASSERT_EQ(ioctl(fd_, KCALL_IOC_VERSION, &v), 0);
    EXPECT_TRUE(v.features & KCALL_FEATURE_URING_CMD);
}

TEST(UringCApi, PushSubmitReap)
{
    kcall_ring *r = kcall_ring_open(8, 0);
    ASSERT_NE(r, nullptr) << std::strerror(errno);
    for (int i = 0; i < 4; i++)
        ASSERT_EQ(kcall_ring_push(r, KCALL_CMD_RETPARAM, i * 10, static_cast<uint64_t>(i)), 0);
    EXPECT_EQ(kcall_ring_push(r, 4242, 0, 0), -1);
    EXPECT_EQ(errno, EINVAL);
    ASSERT_EQ(kcall_ring_submit(r, 4), 4);
    kcall_ring_completion out[8];
    ASSERT_EQ(kcall_ring_reap(r, out, 8), 4);
    for (int i = 0; i < 4; i++) {
        EXPECT_EQ(out[i].error, 0);
        EXPECT_EQ(out[i].result, static_cast<int64_t>(out[i].tag) * 10);
    }
    ASSERT_EQ(kcall_ring_push(r, KCALL_CMD_RETPARAM, 5000, 9), 0);
    kcall_ring_completion c{};
    ASSERT_EQ(kcall_ring_next(r, &c), 0);
    EXPECT_EQ(c.tag, 9U);
    EXPECT_EQ(c.error, EINVAL);
    EXPECT_EQ(kcall_ring_next(r, &c), -1);
    EXPECT_EQ(errno, ENOENT);
    kcall_ring_close(r);
    EXPECT_EQ(kcall_ring_open(8, 0x80), nullptr);
    EXPECT_EQ(errno, EINVAL);
}

}  // namespace
}  // namespace kcall_test
