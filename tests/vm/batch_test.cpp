// SPDX-License-Identifier: GPL-2.0-only
// Batches (uapi/kcall.h): KCALL_IOC_BATCH and KCALL_CMD_BATCH run their
// records in order, stop after the first failure unless asked to go on,
// refuse what they cannot carry without running it, and count every
// operation as the same single call would be counted.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <netlink/attr.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <kcall.h>

#include <kcall/kcall.h>
#include <kcall/kcall.hpp>

#include "genl_client.h"

namespace kcall_test {
namespace {

kcall_batch_op rec(uint32_t op, int32_t arg = 0)
{
    kcall_batch_op r{};
    r.op = op;
    r.arg = arg;
    r.error = 12345;  // must be overwritten for every record that ran
    r.result = -7;
    return r;
}

// calls and failures of op now (ioctl stats).
std::pair<uint64_t, uint64_t> counts(uint32_t op)
{
    auto c = kcall::Client::open(kcall::Transport::ioctl);
    EXPECT_TRUE(c);
    auto s = c->stats();
    EXPECT_TRUE(s);
    for (const auto &e : *s)
        if (e.op == op)
            return {e.calls, e.failures};
    ADD_FAILURE() << "no stats for op " << op;
    return {};
}

class IoctlBatch : public testing::Test {
protected:
    void SetUp() override
    {
        fd_ = open("/dev/" KCALL_DEVICE_NAME, O_RDWR | O_CLOEXEC);
        ASSERT_GE(fd_, 0) << std::strerror(errno);
    }
    void TearDown() override { close(fd_); }

    // 0 or the errno; b.nr_ops out.
    int run(std::vector<kcall_batch_op> &recs, uint32_t flags, struct kcall_batch *out = nullptr)
    {
        struct kcall_batch b {};
        b.size = sizeof(b);
        b.flags = flags;
        b.ops = reinterpret_cast<uintptr_t>(recs.data());
        b.nr_ops = static_cast<uint32_t>(recs.size());
        const int err = ioctl(fd_, KCALL_IOC_BATCH, &b) == 0 ? 0 : errno;
        if (out)
            *out = b;
        return err;
    }

    int fd_ = -1;
};

TEST_F(IoctlBatch, RunsEveryRecordInOrderWithItsResult)
{
    const auto before = counts(KCALL_CMD_RETPARAM);
    std::vector<kcall_batch_op> r = {rec(KCALL_CMD_RETPARAM, 1), rec(KCALL_CMD_RETPID, KCALL_SELF),
                                     rec(KCALL_CMD_TASKCOUNT), rec(KCALL_CMD_GOODBYE),
                                     rec(KCALL_CMD_RETPARAM, 1024)};
    struct kcall_batch b {};
    ASSERT_EQ(run(r, 0, &b), 0);
    EXPECT_EQ(b.nr_ops, 5U);
    for (const auto &x : r)
        EXPECT_EQ(x.error, 0) << "op " << x.op;
    EXPECT_EQ(r[0].result, 1);
    EXPECT_EQ(r[1].result, getpid());
    EXPECT_GT(r[2].result, 0);
    EXPECT_EQ(r[3].result, 0);
    EXPECT_EQ(r[4].result, 1024);
    const auto after = counts(KCALL_CMD_RETPARAM);
    EXPECT_EQ(after.first - before.first, 2U);
    EXPECT_EQ(after.second, before.second);
}

TEST_F(IoctlBatch, StopsAfterTheFirstFailureUnlessAskedToContinue)
{
    for (const uint32_t flags : {0U, 0U + KCALL_BATCH_CONTINUE}) {
        const auto before = counts(KCALL_CMD_RETPARAM);
        std::vector<kcall_batch_op> r = {rec(KCALL_CMD_RETPARAM, 2), rec(KCALL_CMD_RETPARAM, 2000),
                                         rec(KCALL_CMD_RETPARAM, 3)};
        struct kcall_batch b {};
        ASSERT_EQ(run(r, flags, &b), 0);
        const bool cont = flags != 0;
        EXPECT_EQ(b.nr_ops, cont ? 3U : 2U);
        EXPECT_EQ(r[0].error, 0);
        EXPECT_EQ(r[1].error, -EINVAL);
        EXPECT_EQ(r[1].result, 0);
        EXPECT_EQ(r[2].error, cont ? 0 : 12345);  // untouched when it did not run
        EXPECT_EQ(r[2].result, cont ? 3 : -7);
        const auto after = counts(KCALL_CMD_RETPARAM);
        EXPECT_EQ(after.first - before.first, cont ? 3U : 2U);
        EXPECT_EQ(after.second - before.second, 1U);
    }
}

TEST_F(IoctlBatch, RecordsItCannotCarryFailWithoutRunning)
{
    const auto before = counts(KCALL_CMD_MESSAGE);
    std::vector<kcall_batch_op> r = {rec(KCALL_CMD_MESSAGE),
                                     rec(KCALL_CMD_STATS),
                                     rec(KCALL_CMD_VERSION),
                                     rec(KCALL_CMD_EVENT),
                                     rec(KCALL_CMD_BATCH),
                                     rec(0),
                                     rec(200)};
    struct kcall_batch b {};
    ASSERT_EQ(run(r, KCALL_BATCH_CONTINUE, &b), 0);
    EXPECT_EQ(b.nr_ops, r.size());
    for (const auto &x : r)
        EXPECT_EQ(x.error, -EOPNOTSUPP) << "op " << x.op;
    EXPECT_EQ(counts(KCALL_CMD_MESSAGE), before);
}

TEST_F(IoctlBatch, ARecordWithFlagsFailsAsTheSingleCallWould)
{
    auto r = std::vector<kcall_batch_op>{rec(KCALL_CMD_RETPARAM, 5)};
    r[0].flags = 1;
    ASSERT_EQ(run(r, 0), 0);
    EXPECT_EQ(r[0].error, -EINVAL);
}

TEST_F(IoctlBatch, ManyRecordsCrossChunks)
{
    std::vector<kcall_batch_op> r;
    r.reserve(100);
    for (int i = 0; i < 100; i++)
        r.push_back(rec(KCALL_CMD_RETPARAM, i));
    struct kcall_batch b {};
    ASSERT_EQ(run(r, 0, &b), 0);
    EXPECT_EQ(b.nr_ops, 100U);
    for (int i = 0; i < 100; i++) {
        EXPECT_EQ(r[i].error, 0);
        EXPECT_EQ(r[i].result, i);
    }
}

TEST_F(IoctlBatch, TheBatchItselfIsChecked)
{
    std::vector<kcall_batch_op> r(KCALL_BATCH_MAX + 1, rec(KCALL_CMD_GOODBYE));
    EXPECT_EQ(run(r, 0), E2BIG);
    r.resize(1);
    EXPECT_EQ(run(r, 2), EINVAL);
    struct kcall_batch b {};
    b.size = sizeof(b);
    b.__reserved = 1;
    EXPECT_NE(ioctl(fd_, KCALL_IOC_BATCH, &b), 0);
    EXPECT_EQ(errno, EINVAL);
    // No records: nothing to do.
    b.__reserved = 0;
    b.nr_ops = 0;
    EXPECT_EQ(ioctl(fd_, KCALL_IOC_BATCH, &b), 0);
    EXPECT_EQ(b.nr_ops, 0U);
    // Records that cannot be read: EFAULT, none ran.
    b.nr_ops = 3;
    b.ops = 8;
    EXPECT_NE(ioctl(fd_, KCALL_IOC_BATCH, &b), 0);
    EXPECT_EQ(errno, EFAULT);
    EXPECT_EQ(b.nr_ops, 0U);
}

// Records the caller cannot be given back: EFAULT, and the operations that
// ran count as failed, as a single call whose result is lost.
TEST_F(IoctlBatch, OutcomesThatCannotBeWrittenBackAreFailures)
{
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    void *p = mmap(nullptr, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(p, MAP_FAILED);
    auto *r = static_cast<kcall_batch_op *>(p);
    r[0] = rec(KCALL_CMD_RETPARAM, 4);
    r[1] = rec(KCALL_CMD_RETPARAM, 5);
    ASSERT_EQ(mprotect(p, page, PROT_READ), 0);
    const auto before = counts(KCALL_CMD_RETPARAM);
    struct kcall_batch b {};
    b.size = sizeof(b);
    b.ops = reinterpret_cast<uintptr_t>(p);
    b.nr_ops = 2;
    EXPECT_NE(ioctl(fd_, KCALL_IOC_BATCH, &b), 0);
    EXPECT_EQ(errno, EFAULT);
    EXPECT_EQ(b.nr_ops, 2U);  // they ran
    const auto after = counts(KCALL_CMD_RETPARAM);
    EXPECT_EQ(after.first - before.first, 2U);
    EXPECT_EQ(after.second - before.second, 2U);
    munmap(p, page);
}

// What a child that loops over batches shares with the parent that kills
// it: the batch's header and records as the kernel wrote them back.
struct SharedBatch {
    std::atomic<int> phase;      // 0: in user space, 1: in (or entering) the ioctl
    std::atomic<uint64_t> done;  // records of the batches that returned
    std::atomic<int> started;    // the child is running batches
    struct kcall_batch b;
    kcall_batch_op ops[KCALL_BATCH_MAX];
};

[[noreturn]] void run_batches_until_killed(SharedBatch *sh)
{
    const int fd = open("/dev/" KCALL_DEVICE_NAME, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        _exit(1);
    for (;;) {
        sh->phase = 0;
        for (auto &o : sh->ops)
            o = rec(KCALL_CMD_TASKCOUNT);
        sh->b = {};
        sh->b.size = sizeof(sh->b);
        sh->b.ops = reinterpret_cast<uintptr_t>(sh->ops);
        sh->b.nr_ops = KCALL_BATCH_MAX;
        sh->phase = 1;
        sh->started = 1;
        if (ioctl(fd, KCALL_IOC_BATCH, &sh->b) != 0)
            _exit(2);
        sh->done += sh->b.nr_ops;
    }
}

std::string module_refcnt()
{
    std::ifstream f("/sys/module/kcall/refcnt");
    std::string s;
    std::getline(f, s);
    return s;
}

// A process killed (SIGKILL) in the middle of a long batch: the records
// that ran before the kill are reported (nr_ops, written back although the
// caller is dying) with their outcomes, the rest untouched; the counters
// grew by exactly the records that ran; and the module works on and can be
// unloaded (its references are back). The batch lives in shared memory so
// that the parent reads what the kernel wrote before the child died.
TEST_F(IoctlBatch, AKillInTheMiddleOfABatchReportsTheRecordsThatRan)
{
    const std::string refcnt = module_refcnt();
    int mid_batch = 0;
    for (int attempt = 0; attempt < 20 && mid_batch < 3; attempt++) {
        void *p = mmap(nullptr, sizeof(SharedBatch), PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        ASSERT_NE(p, MAP_FAILED);
        auto *sh = new (p) SharedBatch{};
        const auto before = counts(KCALL_CMD_TASKCOUNT);
        const pid_t pid = fork();
        ASSERT_GE(pid, 0);
        if (pid == 0)
            run_batches_until_killed(sh);
        while (!sh->started.load())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        // Somewhere in a batch (the child spends nearly all its time there).
        std::this_thread::sleep_for(std::chrono::milliseconds(3 + 7 * attempt % 23));
        ASSERT_EQ(kill(pid, SIGKILL), 0);
        int status = 0;
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "status " << status;
        const uint32_t n = sh->b.nr_ops;
        // Killed in user space, or after the batch's last record: try again.
        if (sh->phase.load() != 1 || n == KCALL_BATCH_MAX) {
            munmap(p, sizeof(SharedBatch));
            continue;
        }
        mid_batch++;
        uint64_t failed = 0;
        for (uint32_t i = 0; i < KCALL_BATCH_MAX; i++) {
            const auto &o = sh->ops[i];
            if (i < n) {
                // The walk itself may be the one the kill stopped.
                if (o.error == -EINTR && i == n - 1) {
                    failed++;
                    EXPECT_EQ(o.result, 0);
                    continue;
                }
                EXPECT_EQ(o.error, 0) << "record " << i << " of " << n;
                EXPECT_GT(o.result, 0) << "record " << i << " of " << n;
            } else {
                EXPECT_EQ(o.error, 12345) << "record " << i << " after " << n << " ran";
                EXPECT_EQ(o.result, -7) << "record " << i << " after " << n << " ran";
            }
        }
        const auto after = counts(KCALL_CMD_TASKCOUNT);
        EXPECT_EQ(after.first - before.first, sh->done.load() + n) << "nr_ops " << n;
        EXPECT_EQ(after.second - before.second, failed) << "nr_ops " << n;
        munmap(p, sizeof(SharedBatch));
    }
    EXPECT_GT(mid_batch, 0) << "no kill landed in the middle of a batch";
    // Healthy: a batch runs to its end, and no reference was left behind.
    std::vector<kcall_batch_op> r(KCALL_BATCH_MAX, rec(KCALL_CMD_TASKCOUNT));
    struct kcall_batch b {};
    ASSERT_EQ(run(r, 0, &b), 0);
    EXPECT_EQ(b.nr_ops, static_cast<uint32_t>(KCALL_BATCH_MAX));
    EXPECT_EQ(r.back().error, 0);
    EXPECT_EQ(module_refcnt(), refcnt);
}

// --- netlink ------------------------------------------------------------------

struct NlRec {
    uint32_t op = 0;
    int32_t arg = 0;
    uint32_t flags = 0;
};

std::function<void(nl_msg *)> batch_fill(const std::vector<NlRec> &recs, int64_t flags = -1)
{
    return [recs, flags](nl_msg *m) {
        if (flags >= 0)
            nla_put_u32(m, KCALL_A_FLAGS, static_cast<uint32_t>(flags));
        for (const auto &r : recs) {
            nlattr *nest = nla_nest_start(m, KCALL_A_BATCH_OP);
            nla_put_u32(m, KCALL_BATCH_OP_A_OP, r.op);
            if (r.arg)
                nla_put_s32(m, KCALL_BATCH_OP_A_ARG, r.arg);
            if (r.flags)
                nla_put_u32(m, KCALL_BATCH_OP_A_FLAGS, r.flags);
            nla_nest_end(m, nest);
        }
    };
}

struct NlOutcome {
    uint32_t op;
    uint32_t err;
    int64_t result;
};

std::vector<NlOutcome> outcomes(const GenlReply &reply)
{
    std::vector<NlOutcome> out;
    for (const auto &payload : reply.repeated) {
        auto a = parse_attrs(payload);
        out.push_back({attr_as<uint32_t>(a[KCALL_BATCH_OP_A_OP]),
                       attr_as<uint32_t>(a[KCALL_BATCH_OP_A_ERRNO]),
                       attr_as<int64_t>(a[KCALL_BATCH_OP_A_RESULT])});
    }
    return out;
}

TEST(NetlinkBatch, RunsEveryRecordInOrderWithItsResult)
{
    GenlClient nl;
    ASSERT_TRUE(nl.ok()) << nl.error();
    auto r = nl.request(KCALL_CMD_BATCH, batch_fill({{KCALL_CMD_RETPARAM, 1},
                                                     {KCALL_CMD_RETPID, KCALL_SELF},
                                                     {KCALL_CMD_TASKCOUNT},
                                                     {KCALL_CMD_GOODBYE}}));
    ASSERT_EQ(r.err, 0) << r.ext_msg;
    EXPECT_EQ(r.reply_cmd, KCALL_CMD_BATCH);
    auto o = outcomes(r);
    ASSERT_EQ(o.size(), 4U);
    EXPECT_EQ(o[0].op, KCALL_CMD_RETPARAM);
    EXPECT_EQ(o[0].result, 1);
    EXPECT_EQ(o[1].result, getpid());
    EXPECT_GT(o[2].result, 0);
    for (const auto &x : o)
        EXPECT_EQ(x.err, 0U);
}

TEST(NetlinkBatch, StopsAfterTheFirstFailureUnlessAskedToContinue)
{
    GenlClient nl;
    ASSERT_TRUE(nl.ok()) << nl.error();
    const std::vector<NlRec> recs = {{KCALL_CMD_RETPARAM, 2},
                                     {KCALL_CMD_RETPARAM, 2000},
                                     {KCALL_CMD_MESSAGE},
                                     {KCALL_CMD_RETPARAM, 3}};
    auto stop = nl.request(KCALL_CMD_BATCH, batch_fill(recs));
    ASSERT_EQ(stop.err, 0) << stop.ext_msg;
    auto o = outcomes(stop);
    ASSERT_EQ(o.size(), 2U);
    EXPECT_EQ(o[1].err, static_cast<uint32_t>(EINVAL));
    auto cont = nl.request(KCALL_CMD_BATCH, batch_fill(recs, KCALL_BATCH_CONTINUE));
    ASSERT_EQ(cont.err, 0) << cont.ext_msg;
    o = outcomes(cont);
    ASSERT_EQ(o.size(), 4U);
    EXPECT_EQ(o[2].err, static_cast<uint32_t>(EOPNOTSUPP));
    EXPECT_EQ(o[3].err, 0U);
    EXPECT_EQ(o[3].result, 3);
}

TEST(NetlinkBatch, MalformedRecordsFailTheRequestBeforeAnyRuns)
{
    GenlClient nl;
    ASSERT_TRUE(nl.ok()) << nl.error();
    const auto before = counts(KCALL_CMD_RETPARAM);
    auto no_op = nl.request(KCALL_CMD_BATCH, [](nl_msg *m) {
        batch_fill({{KCALL_CMD_RETPARAM, 1}})(m);
        nlattr *nest = nla_nest_start(m, KCALL_A_BATCH_OP);
        nla_put_s32(m, KCALL_BATCH_OP_A_ARG, 1);
        nla_nest_end(m, nest);
    });
    EXPECT_EQ(no_op.err, EINVAL);
    EXPECT_EQ(no_op.ext_msg, "batch-op without op");
    auto reply_attr = nl.request(KCALL_CMD_BATCH, [](nl_msg *m) {
        nlattr *nest = nla_nest_start(m, KCALL_A_BATCH_OP);
        nla_put_u32(m, KCALL_BATCH_OP_A_OP, KCALL_CMD_RETPARAM);
        nla_put_u32(m, KCALL_BATCH_OP_A_ERRNO, 0);
        nla_nest_end(m, nest);
    });
    EXPECT_EQ(reply_attr.err, EINVAL);
    auto flags = nl.request(KCALL_CMD_BATCH, batch_fill({{KCALL_CMD_GOODBYE}}, 2));
    EXPECT_EQ(flags.err, EINVAL);
    EXPECT_EQ(flags.ext_msg, "unknown flags");
    std::vector<NlRec> many(KCALL_BATCH_MAX + 1, NlRec{KCALL_CMD_RETPARAM, 1});
    auto big = nl.request(KCALL_CMD_BATCH, batch_fill(many));
    EXPECT_EQ(big.err, E2BIG);
    EXPECT_EQ(counts(KCALL_CMD_RETPARAM), before);
}

// --- the library -----------------------------------------------------------------

TEST(LibraryBatch, BothTransportsRunTheSameBatchAlike)
{
    for (const auto t : {kcall::Transport::ioctl, kcall::Transport::netlink}) {
        auto c = kcall::Client::open(t);
        ASSERT_TRUE(c) << c.error().what();
        kcall::Batch b;
        b.retparam(7).retpid(KCALL_SELF).retparam(2000).taskcount();
        auto stop = c->run(b);
        ASSERT_TRUE(stop) << stop.error().what();
        ASSERT_EQ(stop->size(), 3U) << kcall::to_string(t);
        EXPECT_EQ((*stop)[0].result, 7);
        EXPECT_EQ((*stop)[1].result, getpid());
        EXPECT_EQ((*stop)[2].error, EINVAL);
        auto all = c->run(b, true);
        ASSERT_TRUE(all) << all.error().what();
        ASSERT_EQ(all->size(), 4U);
        EXPECT_EQ((*all)[3].op, kcall::Op::taskcount);
        EXPECT_GT((*all)[3].result, 0);
    }
}

// More records than one kernel call takes: the library sends pieces.
TEST(LibraryBatch, LargeBatchesGoInPieces)
{
    for (const auto t : {kcall::Transport::ioctl, kcall::Transport::netlink}) {
        auto c = kcall::Client::open(t);
        ASSERT_TRUE(c) << c.error().what();
        kcall::Batch b;
        for (int i = 0; i < 2 * KCALL_BATCH_MAX + 10; i++)
            b.retparam(i % 1000);
        auto r = c->run(b);
        ASSERT_TRUE(r) << r.error().what();
        ASSERT_EQ(r->size(), b.size());
        for (size_t i = 0; i < r->size(); i++)
            ASSERT_EQ((*r)[i].result, static_cast<int64_t>(i % 1000)) << i;
    }
}

TEST(LibraryBatch, TheCApi)
{
    struct kcall_batch_call calls[] = {{KCALL_CMD_RETPARAM, 5, -1, -1},
                                       {KCALL_CMD_RETPID, KCALL_SELF, -1, -1},
                                       {KCALL_CMD_RETPARAM, -1, -1, -1},
                                       {KCALL_CMD_GOODBYE, 0, -1, -1}};
    EXPECT_EQ(kcall_batch(calls, 4, 0), 3) << kcall_strerror_ext();
    EXPECT_EQ(calls[0].error, 0);
    EXPECT_EQ(calls[0].result, 5);
    EXPECT_EQ(calls[1].result, getpid());
    EXPECT_EQ(calls[2].error, EINVAL);
    EXPECT_EQ(calls[3].error, -1);  // did not run
    EXPECT_EQ(kcall_batch(calls, 4, KCALL_BATCH_KEEP_GOING), 4) << kcall_strerror_ext();
    EXPECT_EQ(calls[3].error, 0);
    EXPECT_EQ(kcall_batch(calls, 4, 8), -1);
    EXPECT_EQ(errno, EINVAL);
    // A number no operation has fails its record, as the module does, and
    // stops the batch there; the records before it ran.
    struct kcall_batch_call mixed[] = {
        {KCALL_CMD_RETPARAM, 7, -1, -1}, {999, 0, -1, -1}, {KCALL_CMD_RETPARAM, 8, -1, -1}};
    EXPECT_EQ(kcall_batch(mixed, 3, 0), 2) << kcall_strerror_ext();
    EXPECT_EQ(mixed[0].error, 0);
    EXPECT_EQ(mixed[0].result, 7);
    EXPECT_EQ(mixed[1].error, EOPNOTSUPP);
    EXPECT_EQ(mixed[2].error, -1);  // did not run
}

}  // namespace
}  // namespace kcall_test
