// SPDX-License-Identifier: GPL-2.0-only
// The coverage-guided fuzzer's oracles can fail: each is fed what a broken
// module would answer and must abort with a violation (libFuzzer then saves
// the input); what the contract allows must pass.
#include <gtest/gtest.h>

#include <cerrno>

#include "oracle.h"

namespace kcall_fuzz {
namespace {

using ::testing::KilledBySignal;

TEST(FuzzOracleDeathTest, ErrnoOutsideTheTableIsAViolation)
{
    const Circumstances none;
    // What docs/SPEC.md allows passes.
    check_errno(Transport::ioctl, KCALL_CMD_RETPARAM, EINVAL, none, "test");
    check_errno(Transport::ioctl, 0, ENOTTY, none, "test");
    check_errno(Transport::netlink, 0, EOPNOTSUPP, none, "test");
    check_errno(Transport::netlink, KCALL_CMD_STATS_RESET, EPERM, none, "test");
    // The policy's ERANGE for a long text, before the fix, did not.
    EXPECT_EXIT(check_errno(Transport::netlink, KCALL_CMD_MESSAGE, ERANGE, none, "test"),
                KilledBySignal(SIGABRT), "ORACLE VIOLATION: .*ERANGE");
    EXPECT_EXIT(check_errno(Transport::ioctl, KCALL_CMD_RETPARAM, ENOTTY, none, "test"),
                KilledBySignal(SIGABRT), "ORACLE VIOLATION");
    EXPECT_EXIT(check_errno(Transport::ioctl, KCALL_CMD_VERSION, EPERM, none, "test"),
                KilledBySignal(SIGABRT), "ORACLE VIOLATION");
    // ENOMEM only where an allocation was failed on purpose.
    EXPECT_EXIT(check_errno(Transport::netlink, KCALL_CMD_STATS, ENOMEM, none, "test"),
                KilledBySignal(SIGABRT), "ORACLE VIOLATION");
    Circumstances injected;
    injected.injected = true;
    check_errno(Transport::netlink, KCALL_CMD_STATS, ENOMEM, injected, "test");
}

TEST(FuzzOracleDeathTest, EveryOperationHasARowPerTransport)
{
    for (unsigned op = KCALL_CMD_GOODBYE; op <= kMaxOp; op++) {
        EXPECT_NE(allowed_errnos(Transport::ioctl, op).find("EINVAL"), std::string::npos) << op;
        EXPECT_NE(allowed_errnos(Transport::netlink, op).find("EINVAL"), std::string::npos) << op;
        EXPECT_EQ(allowed_errnos(Transport::netlink, op).find("EFAULT"), std::string::npos)
            << "netlink carries no pointers: op " << op;
    }
}

Stats::Counters counters(unsigned op, uint64_t calls, uint64_t failures)
{
    Stats::Counters c{};
    c[op].op = op;
    c[op].calls = calls;
    c[op].failures = failures;
    return c;
}

TEST(FuzzOracleDeathTest, StatsThatMissOrInventACallAreAViolation)
{
    Stats s;
    auto base = counters(KCALL_CMD_RETPARAM, 10, 2);
    s.begin(base);
    s.call(KCALL_CMD_RETPARAM, Counted::yes, true);
    s.call(KCALL_CMD_RETPARAM, Counted::unknown, true);
    s.call(KCALL_CMD_RETPARAM, Counted::no, true);
    auto now = counters(KCALL_CMD_RETPARAM, 11, 3);
    now[KCALL_CMD_STATS].calls = 1;  // begin's own read
    s.end(now);                      // one certain call, one maybe: 11 is right
    now[KCALL_CMD_RETPARAM].calls = 12;
    now[KCALL_CMD_RETPARAM].failures = 4;
    s.end(now);  // both counted: also right
    now[KCALL_CMD_RETPARAM].calls = 13;
    EXPECT_EXIT(s.end(now), KilledBySignal(SIGABRT), "stats of op 3");
    now[KCALL_CMD_RETPARAM].calls = 10;
    EXPECT_EXIT(s.end(now), KilledBySignal(SIGABRT), "stats of op 3");
    // A call counted under another operation.
    now = counters(KCALL_CMD_RETPARAM, 11, 3);
    now[KCALL_CMD_STATS].calls = 1;
    now[KCALL_CMD_RETPID].calls = 1;
    EXPECT_EXIT(s.end(now), KilledBySignal(SIGABRT), "stats of op 4");
}

TEST(FuzzOracleDeathTest, AResetStartsTheCountersAgain)
{
    Stats s;
    s.begin(counters(KCALL_CMD_GOODBYE, 50, 0));
    s.call(KCALL_CMD_GOODBYE, Counted::yes, false);
    s.reset();
    s.call(KCALL_CMD_GOODBYE, Counted::yes, false);
    auto now = counters(KCALL_CMD_GOODBYE, 1, 0);
    now[KCALL_CMD_STATS_RESET].calls = 1;
    s.end(now);
    now[KCALL_CMD_GOODBYE].calls = 52;  // as if the reset had not happened
    EXPECT_EXIT(s.end(now), KilledBySignal(SIGABRT), "stats of op 1");
}

}  // namespace
}  // namespace kcall_fuzz
