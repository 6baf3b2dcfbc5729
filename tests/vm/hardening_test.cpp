// SPDX-License-Identifier: GPL-2.0-only
// Hardening: a short fuzz run, log flooding, info leaks (every byte the
// kernel returns is defined), and retpid(parent) racing the parent's exit.
// On the debug kernel (INIT_STACK_ALL_PATTERN, KASAN, lockdep...) the same
// tests also prove what the plain kernels cannot show.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <kcall.h>

#include "command.h"
#include "kcall_dev.h"
#include "kmsg_reader.h"
#include "operations.h"
#include "raw_genl.h"

namespace kcall_test {
namespace {

const std::string kFuzz = KCALL_FUZZ_PATH;

std::string env_or(const char *name, const char *fallback)
{
    const char *v = std::getenv(name);
    return v && *v ? v : fallback;
}

// KCALL_FUZZ_SEED / KCALL_FUZZ_COUNT choose the run (scripts/test.sh sets a
// long one on the debug kernel); the seed is printed to reproduce it.
TEST(Fuzz, RandomRequestsOnBothTransportsLeaveTheModuleSane)
{
    const std::string cmd = kFuzz + " --seed " + env_or("KCALL_FUZZ_SEED", "20261121") +
                            " --count " + env_or("KCALL_FUZZ_COUNT", "20000");
    const CmdResult r = run_command(cmd);
    std::printf("%s\n%s", cmd.c_str(), r.output.c_str());
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("kcall_fuzz: ioctl: "), std::string::npos);
    EXPECT_NE(r.output.find("kcall_fuzz: netlink: "), std::string::npos);
    EXPECT_NE(r.output.find(" requests in all (seed "), std::string::npos);
}

// 100,000 goodbyes from one caller: the log keeps printk's rate limit
// (10 lines per 5 s per call site), whatever the rate of calls.
TEST(LogFlood, HundredThousandGoodbyesLeaveABoundedLog)
{
    Device dev;
    ASSERT_TRUE(dev.ok());
    // Start with a fresh rate-limit window: earlier tests used this one.
    usleep(5'100'000);
    KmsgReader kmsg;
    ASSERT_TRUE(kmsg.ok());
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 100000; i++) {
        auto g = zeroed<struct kcall_goodbye>();
        ASSERT_EQ(dev.call(KCALL_IOC_GOODBYE, &g), 0);
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const int lines = static_cast<int>(matching(kmsg.read_new(), "Goodbye, cruel world !").size());
    std::printf("100000 goodbyes in %.2f s: %d log lines\n", secs, lines);
    EXPECT_LE(lines, 10 * (static_cast<int>(secs / 5) + 2));
    EXPECT_GE(lines, 1) << "the first calls of a window are logged";
}

// Every byte an ioctl writes back is ours or the kernel's answer: with
// the input poisoned, the output must be exactly the input with the
// result fields filled in (and reserved fields zeroed), never stack bytes.
TEST(InfoLeak, IoctlOutputsAreFullyDefined)
{
    Device dev;
    ASSERT_TRUE(dev.ok());

    auto rp = poisoned<struct kcall_retparam>();
    rp.flags = 0;
    rp.value = 3;
    auto want_rp = rp;
    want_rp.result = 3;
    ASSERT_EQ(dev.call(KCALL_IOC_RETPARAM, &rp), 0);
    EXPECT_EQ(std::memcmp(&rp, &want_rp, sizeof(rp)), 0);

    auto pid = poisoned<struct kcall_retpid>();
    pid.flags = 0;
    pid.which = KCALL_RETPID_SELF;
    auto want_pid = pid;
    want_pid.pid = getpid();
    ASSERT_EQ(dev.call(KCALL_IOC_RETPID, &pid), 0);
    EXPECT_EQ(std::memcmp(&pid, &want_pid, sizeof(pid)), 0);

    auto v = poisoned<struct kcall_version>();
    v.flags = 0;
    ASSERT_EQ(dev.call(KCALL_IOC_VERSION, &v), 0);
    EXPECT_EQ(v.size, sizeof(v));
    EXPECT_EQ(v.flags, 0U);
    EXPECT_EQ(v.abi_version, static_cast<__u32>(KCALL_ABI_VERSION));
    EXPECT_EQ(v.__reserved, 0U);
    EXPECT_EQ(v.features,
              all_operations_mask() | KCALL_FEATURE(KCALL_CMD_BATCH) | KCALL_FEATURE_URING_CMD);

    std::vector<struct kcall_op_stats> entries(kOperationCount);
    std::memset(entries.data(), 0xa5, entries.size() * sizeof(entries[0]));
    auto s = zeroed<struct kcall_stats>();
    s.entries = reinterpret_cast<uintptr_t>(entries.data());
    s.nr_entries = static_cast<__u32>(entries.size());
    ASSERT_EQ(dev.call(KCALL_IOC_STATS, &s), 0);
    for (uint32_t i = 0; i < entries.size(); i++) {
        EXPECT_EQ(entries[i].op, kOperations[i].number);
        EXPECT_EQ(entries[i].__reserved, 0U) << "entry " << i;
        EXPECT_LT(entries[i].calls, 1ULL << 40) << "entry " << i;
        EXPECT_LE(entries[i].failures, entries[i].calls) << "entry " << i;
    }
}

// A netlink reply carries exactly its attributes: genl reserved byte zero,
// attribute padding zero, nothing after the last attribute.
TEST(InfoLeak, NetlinkRepliesAreFullyDefined)
{
    RawGenl genl;
    ASSERT_TRUE(genl.ok());
    const std::pair<uint8_t, std::vector<std::pair<uint16_t, int32_t>>> requests[] = {
        {KCALL_CMD_RETPARAM, {{KCALL_A_VALUE, 5}}},
        {KCALL_CMD_RETPID, {{KCALL_A_WHICH, 1}}},
        {KCALL_CMD_TASKCOUNT, {}},
        {KCALL_CMD_VERSION, {}},
        {KCALL_CMD_STATS, {}},
        {KCALL_CMD_GOODBYE, {}},
    };
    for (const auto &[cmd, attrs] : requests) {
        const std::vector<char> reply = genl.roundtrip(cmd, attrs);
        ASSERT_GE(reply.size(), NLMSG_HDRLEN + GENL_HDRLEN) << "cmd " << int{cmd};
        const auto *nlh = reinterpret_cast<const nlmsghdr *>(reply.data());
        ASSERT_EQ(nlh->nlmsg_type, genl.family()) << "cmd " << int{cmd};
        ASSERT_EQ(nlh->nlmsg_len, reply.size());
        const auto *g = reinterpret_cast<const genlmsghdr *>(reply.data() + NLMSG_HDRLEN);
        EXPECT_EQ(g->reserved, 0);
        // Walk attributes (and one level of nesting): padding is zero and
        // they tile the message exactly.
        std::vector<std::pair<size_t, size_t>> spans{{NLMSG_HDRLEN + GENL_HDRLEN, reply.size()}};
        while (!spans.empty()) {
            auto [at, end] = spans.back();
            spans.pop_back();
            while (at < end) {
                nlattr a;
                ASSERT_LE(at + sizeof(a), end);
                std::memcpy(&a, reply.data() + at, sizeof(a));
                ASSERT_GE(a.nla_len, NLA_HDRLEN);
                ASSERT_LE(at + a.nla_len, end);
                for (size_t p = at + a.nla_len; p < at + NLA_ALIGN(a.nla_len) && p < end; p++)
                    EXPECT_EQ(reply[p], 0) << "cmd " << int{cmd} << " padding at " << p;
                if (a.nla_type & NLA_F_NESTED ||
                    (cmd == KCALL_CMD_STATS && a.nla_type == KCALL_A_STATS))
                    spans.emplace_back(at + NLA_HDRLEN, at + a.nla_len);
                at += NLA_ALIGN(a.nla_len);
            }
            EXPECT_EQ(at, end) << "cmd " << int{cmd};
        }
    }
}

// retpid(parent) while the parent exits: the answer is the old parent or
// the new one (this test, a subreaper), never anything else, never a crash.
TEST(RetpidRace, ParentExitingDuringTheCall)
{
    ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    const pid_t reaper = getpid();
    int bad = 0;
    for (int round = 0; round < 100; round++) {
        int fds[2];
        ASSERT_EQ(pipe(fds), 0);
        const pid_t parent = fork();
        ASSERT_GE(parent, 0);
        if (parent == 0) {
            const pid_t me = getpid();
            if (fork() == 0) {
                // The grandchild asks for its parent while that one exits.
                Device dev;
                RawGenl genl;
                int wrong = 0;
                for (int i = 0; i < 200; i++) {
                    int32_t got = -1;
                    if (i % 2) {
                        auto a = zeroed<struct kcall_retpid>();
                        a.which = KCALL_RETPID_PARENT;
                        if (dev.call(KCALL_IOC_RETPID, &a) == 0)
                            got = a.pid;
                    } else {
                        std::vector<char> r =
                            genl.roundtrip(KCALL_CMD_RETPID, {{KCALL_A_WHICH, 1}});
                        if (r.size() >= NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN + 4)
                            std::memcpy(&got, r.data() + NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN,
                                        4);
                    }
                    if (got != me && got != reaper)
                        wrong++;
                }
                const ssize_t n = write(fds[1], &wrong, sizeof(wrong));
                _exit(n == sizeof(wrong) ? 0 : 1);
            }
            usleep(static_cast<useconds_t>(round % 10) * 200);  // vary the overlap
            _exit(0);
        }
        close(fds[1]);
        int wrong = -1;
        const ssize_t n = read(fds[0], &wrong, sizeof(wrong));
        close(fds[0]);
        waitpid(parent, nullptr, 0);
        while (waitpid(-1, nullptr, WNOHANG) > 0) {
        }
        EXPECT_EQ(n, static_cast<ssize_t>(sizeof(wrong)));
        bad += wrong;
    }
    while (waitpid(-1, nullptr, 0) > 0) {
    }
    prctl(PR_SET_CHILD_SUBREAPER, 0);
    EXPECT_EQ(bad, 0) << "retpid(parent) gave a pid that was neither parent";
}

}  // namespace
}  // namespace kcall_test
