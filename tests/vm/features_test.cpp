// SPDX-License-Identifier: GPL-2.0-only
// ABI 2 on every transport: version and features, call counters (stats,
// sysfs, reset and who may reset), as docs/SPEC.md and uapi/kcall.h describe.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <ostream>
#include <string>

#include <kcall.h>

#include "operations.h"
#include "privilege.h"
#include "transport.h"

namespace kcall_test {

void PrintTo(const NamedTransport &t, std::ostream *os);

namespace {

// Every operation, and batches (not an operation: announced by their bit).
constexpr uint64_t kAllOps =
    all_operations_mask() | KCALL_FEATURE(KCALL_CMD_BATCH) | KCALL_FEATURE_URING_CMD;

std::map<uint32_t, kcall::OpStats> by_op(const StatsOutcome &s)
{
    std::map<uint32_t, kcall::OpStats> m;
    for (const auto &e : s.entries)
        m[e.op] = e;
    return m;
}

uint64_t sysfs_counter(const std::string &file)
{
    std::ifstream in("/sys/class/misc/kcall/stats/" + file);
    uint64_t v = ~0ULL;
    in >> v;
    return v;
}

class Features : public testing::TestWithParam<NamedTransport> {
protected:
    void SetUp() override { t_ = GetParam().make(); }
    std::unique_ptr<Transport> t_;
};

TEST_P(Features, VersionReportsAbiAndEveryOperation)
{
    const VersionOutcome v = t_->version();
    ASSERT_EQ(v.err, 0) << std::strerror(v.err);
    EXPECT_EQ(v.abi_version, static_cast<uint32_t>(KCALL_ABI_VERSION));
    EXPECT_EQ(v.features, kAllOps) << std::hex << v.features;
}

TEST_P(Features, StatsListEveryOperationOnce)
{
    const StatsOutcome s = t_->stats();
    ASSERT_EQ(s.err, 0) << std::strerror(s.err) << " " << s.message;
    ASSERT_EQ(s.entries.size(), kOperationCount);
    for (const ExpectedOp &op : kOperations)
        EXPECT_EQ(by_op(s).count(op.number), 1U) << op.name;
}

// Counted per operation, failures apart; reading the counters counts too,
// after the snapshot it returns.
TEST_P(Features, StatsCountCallsAndFailures)
{
    const auto before = by_op(t_->stats());
    for (int i = 0; i < 3; i++)
        ASSERT_EQ(t_->call(kcall::Op::retparam, i).err, 0);
    for (int i = 0; i < 2; i++)
        ASSERT_EQ(t_->call(kcall::Op::retparam, 5000).err, EINVAL);
    ASSERT_EQ(t_->message("counted").err, 0);
    const StatsOutcome s = t_->stats();
    ASSERT_EQ(s.err, 0);
    const auto after = by_op(s);

    EXPECT_EQ(after.at(KCALL_CMD_RETPARAM).calls - before.at(KCALL_CMD_RETPARAM).calls, 5U);
    EXPECT_EQ(after.at(KCALL_CMD_RETPARAM).failures - before.at(KCALL_CMD_RETPARAM).failures, 2U);
    EXPECT_EQ(after.at(KCALL_CMD_MESSAGE).calls - before.at(KCALL_CMD_MESSAGE).calls, 1U);
    EXPECT_EQ(after.at(KCALL_CMD_MESSAGE).failures - before.at(KCALL_CMD_MESSAGE).failures, 0U);
    EXPECT_EQ(after.at(KCALL_CMD_STATS).calls - before.at(KCALL_CMD_STATS).calls, 1U);
    EXPECT_EQ(after.at(KCALL_CMD_TASKCOUNT).calls, before.at(KCALL_CMD_TASKCOUNT).calls);

    // sysfs shows the same sums (nothing ran retparam in between).
    EXPECT_EQ(sysfs_counter("retparam_calls"), after.at(KCALL_CMD_RETPARAM).calls);
    EXPECT_EQ(sysfs_counter("retparam_failures"), after.at(KCALL_CMD_RETPARAM).failures);
}

TEST_P(Features, ResetZeroesEveryCounterAsRoot)
{
    ASSERT_EQ(t_->call(kcall::Op::goodbye, 0).err, 0);
    ASSERT_EQ(t_->call(kcall::Op::stats_reset, 0).err, 0);
    const auto after = by_op(t_->stats());
    for (const auto &[op, s] : after) {
        // The reset itself is counted after it zeroed the counters.
        const uint64_t want = op == KCALL_CMD_STATS_RESET ? 1 : 0;
        EXPECT_EQ(s.calls, want) << "op " << op;
        EXPECT_EQ(s.failures, 0U) << "op " << op;
    }
    EXPECT_EQ(sysfs_counter("goodbye_calls"), 0U);
}

// Unprivileged callers use every operation but cannot reset; the refused
// reset is counted as a failure and changes nothing.
TEST_P(Features, UnprivilegedCallersCannotReset)
{
    const NamedTransport nt = GetParam();
    ASSERT_EQ(t_->call(kcall::Op::goodbye, 0).err, 0);
    const uint64_t goodbyes = by_op(t_->stats()).at(KCALL_CMD_GOODBYE).calls;
    ASSERT_GE(goodbyes, 1U);
    const std::string got = run_with(Privilege::nobody, [&nt] {
        auto t = nt.make();
        const Outcome r = t->call(kcall::Op::retparam, 7);
        const Outcome reset = t->call(kcall::Op::stats_reset, 0);
        const Outcome msg = t->message("from nobody");
        const StatsOutcome s = t->stats();
        const VersionOutcome v = t->version();
        return "retparam=" + std::to_string(r.value) + " reset=" + std::strerror(reset.err) +
               " message=" + std::to_string(msg.err) + " stats=" + std::to_string(s.err) +
               " version=" + std::to_string(v.err);
    });
    EXPECT_EQ(got, "retparam=7 reset=" + std::string(std::strerror(EPERM)) +
                       " message=0 stats=0 version=0");
    EXPECT_GE(by_op(t_->stats()).at(KCALL_CMD_GOODBYE).calls, goodbyes) << "counters were reset";
}

// CAP_SYS_ADMIN is what the core asks for, on both transports: root
// without it (netlink's CAP_NET_ADMIN still held) is refused too.
TEST_P(Features, ResetNeedsCapSysAdminNotJustRoot)
{
    const NamedTransport nt = GetParam();
    const std::string got = run_with(Privilege::root_no_sys_admin, [&nt] {
        auto t = nt.make();
        return std::string(std::strerror(t->call(kcall::Op::stats_reset, 0).err));
    });
    EXPECT_EQ(got, std::strerror(EPERM));
}

INSTANTIATE_TEST_SUITE_P(AllTransports, Features, testing::ValuesIn(all_transports()),
                         [](const testing::TestParamInfo<NamedTransport> &info) {
                             return std::string(info.param.name);
                         });

TEST(StatsSysfs, FilesAreReadOnlyAndCoverEveryOperation)
{
    for (const char *op : {"goodbye", "showparams", "retparam", "retpid", "taskcount", "message",
                           "stats", "stats_reset", "version"}) {
        for (const char *kind : {"_calls", "_failures"}) {
            const std::string f = std::string(op) + kind;
            EXPECT_NE(sysfs_counter(f), ~0ULL) << f;
            std::ofstream out("/sys/class/misc/kcall/stats/" + f);
            out << "0\n";
            out.flush();
            EXPECT_FALSE(out.good()) << f << " is writable";
        }
    }
}

}  // namespace
}  // namespace kcall_test
