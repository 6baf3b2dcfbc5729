// SPDX-License-Identifier: GPL-2.0-only
// Allocation failures, injected one at a time with failslab and
// /proc/thread-self/fail-nth: n = 1, 2, ... fails the n-th slab allocation
// of the next call, until a call makes fewer than n allocations. Swept over
// kcall's module init (finit_module) and over every operation on both transports:
// each injected call fails with ENOMEM (ENOBUFS when netlink itself loses
// the answer) or succeeds, the module keeps answering, and init unwinds
// without a leak (kmemleak after the run) or a splat (the log verdict).
// A second sweep per operation filters on kcall.ko's text (failslab's
// require-start/end): the injection points inside kcall's own allocations.
// Only kernels with CONFIG_FAILSLAB and its stack filter (the debug kernel)
// run it; elsewhere it is skipped and says why.
#include <gtest/gtest.h>

#include <elf.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <kcall.h>

#include "foreign_listener.h"
#include "kcall_dev.h"
#include "module_ctl.h"
#include "raw_genl.h"

namespace kcall_test {
namespace {

using namespace std::chrono_literals;

const std::string kFailslab = "/sys/kernel/debug/failslab/";

bool write_file(const std::string &path, const std::string &value)
{
    std::ofstream f(path);
    f << value;
    f.flush();
    return static_cast<bool>(f);
}

std::string read_file(const std::string &path)
{
    std::ifstream f(path);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

// fail-nth is per task: this thread's own file, opened once, so that
// arming and reading it allocate nothing the count would include.
int fail_nth_fd()
{
    static thread_local const int fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
    return fd;
}

bool arm(unsigned n)
{
    const std::string v = std::to_string(n);
    return pwrite(fail_nth_fd(), v.data(), v.size(), 0) == static_cast<ssize_t>(v.size());
}

// True when the armed fault fired (the counter ran down to 0); disarms.
bool fired()
{
    char buf[32] = {};
    const ssize_t n = pread(fail_nth_fd(), buf, sizeof(buf) - 1, 0);
    const bool hit = n > 0 && std::strtoul(buf, nullptr, 10) == 0;
    arm(0);
    return hit;
}

// Size of the .text section of the module file: with its load address from
// sysfs, the range failslab's stack filter should require.
uint64_t text_size(const std::string &ko)
{
    std::ifstream f(ko, std::ios::binary);
    const std::string img((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (img.size() < sizeof(Elf64_Ehdr))
        return 0;
    Elf64_Ehdr eh;
    std::memcpy(&eh, img.data(), sizeof(eh));
    if (eh.e_shoff + static_cast<uint64_t>(eh.e_shnum) * sizeof(Elf64_Shdr) > img.size() ||
        eh.e_shstrndx >= eh.e_shnum)
        return 0;
    std::vector<Elf64_Shdr> sh(eh.e_shnum);
    std::memcpy(sh.data(), img.data() + eh.e_shoff, sh.size() * sizeof(Elf64_Shdr));
    const char *names = img.data() + sh[eh.e_shstrndx].sh_offset;
    for (const auto &s : sh) {
        if (std::strcmp(names + s.sh_name, ".text") == 0)
            return s.sh_size;
    }
    return 0;
}

// One operation on one transport: 0 or an errno.
using Call = std::function<int()>;

struct Op {
    std::string name;
    Call ioctl;
    uint8_t cmd;
    std::vector<char> attrs;  // netlink attributes, ready to send
};

std::vector<char> s32_attr(uint16_t type, int32_t value)
{
    std::vector<char> a(NLA_HDRLEN + sizeof(value));
    const nlattr h{static_cast<uint16_t>(a.size()), type};
    std::memcpy(a.data(), &h, sizeof(h));
    std::memcpy(a.data() + NLA_HDRLEN, &value, sizeof(value));
    return a;
}

std::vector<char> text_attr(const char *text)
{
    const size_t len = std::strlen(text) + 1;
    std::vector<char> a(NLA_ALIGN(NLA_HDRLEN + len), 0);
    const nlattr h{static_cast<uint16_t>(NLA_HDRLEN + len), KCALL_A_TEXT};
    std::memcpy(a.data(), &h, sizeof(h));
    std::memcpy(a.data() + NLA_HDRLEN, text, len);
    return a;
}

// What the sweep of one call found.
struct Sweep {
    unsigned points = 0;      // injections that fired
    std::vector<int> errors;  // errno of each injected call (0: it succeeded)
    bool ended = false;       // a call with fewer allocations than n came
};

// Injects the n-th allocation of call() for n = 1, 2, ... until one
// passes without the fault firing; checks the module after each one.
Sweep sweep(const Call &call, const Call &sane)
{
    Sweep s;
    for (unsigned n = 1; n <= 500; n++) {
        if (!arm(n))
            break;
        const int err = call();
        if (!fired()) {
            s.ended = err == 0;
            break;
        }
        s.points++;
        s.errors.push_back(err);
        EXPECT_EQ(sane(), 0) << "module broken after fault " << n;
    }
    return s;
}

class FaultInjection : public testing::Test {
protected:
    void SetUp() override
    {
        struct stat st {};
        if (stat((kFailslab + "require-start").c_str(), &st) != 0)
            GTEST_SKIP() << "no failslab with a stack filter in this kernel "
                            "(CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_STACKTRACE_FILTER)";
        const char *ko = std::getenv("KCALL_KO");
        ASSERT_NE(ko, nullptr) << "KCALL_KO must name the module under test";
        ko_ = ko;
        // GFP_KERNEL allocations too (the default ignores them), and no
        // report per injection: its stack dump would read as a splat.
        ASSERT_TRUE(write_file(kFailslab + "ignore-gfp-wait", "N"));
        ASSERT_TRUE(write_file(kFailslab + "verbose", "0"));
        ASSERT_TRUE(write_file(kFailslab + "times", "-1"));
        unfilter();
    }

    void TearDown() override
    {
        if (ko_.empty())
            return;  // skipped
        arm(0);
        unfilter();
        write_file(kFailslab + "ignore-gfp-wait", "Y");
        if (!module_loaded()) {
            EXPECT_EQ(finit_module_path(ko_), 0);
        }
    }

    void unfilter()
    {
        write_file(kFailslab + "require-start", "0");
        write_file(kFailslab + "require-end", std::to_string(UINT64_MAX));
    }

    // Only allocations whose stack passes through kcall.ko's text.
    bool filter_on_kcall()
    {
        const uint64_t start =
            std::strtoull(read_file("/sys/module/kcall/sections/.text").c_str(), nullptr, 16);
        const uint64_t size = text_size(ko_);
        if (start == 0 || size == 0)
            return false;
        return write_file(kFailslab + "require-start", std::to_string(start)) &&
               write_file(kFailslab + "require-end", std::to_string(start + size));
    }

    std::string ko_;
};

bool allowed(int err, bool netlink)
{
    return err == 0 || err == ENOMEM || (netlink && err == ENOBUFS);
}

std::string list(const std::vector<int> &errors)
{
    std::string out;
    for (int e : errors)
        out += (out.empty() ? "" : ",") + (e ? std::string(strerrorname_np(e)) : "ok");
    return out.empty() ? "-" : out;
}

TEST_F(FaultInjection, ModuleInitUnwindsAtEveryAllocation)
{
    long busy = 0;
    // Right after the reload stress, its last users may still be leaving.
    ASSERT_EQ(delete_module_retrying(10000ms, &busy), 0)
        << "refcnt " << read_file("/sys/module/kcall/refcnt");
    // Only allocations made by kcall's own init and below: the stack must
    // pass through module space (x86_64's module mapping, where kcall, the
    // only module of the debug guest, lives; its address is unknown before
    // it loads). The kernel's loader and tracing are not ours to test, and
    // one of them WARNs on ENOMEM (trace_events.c, event_define_fields()).
    ASSERT_TRUE(write_file(kFailslab + "require-start", std::to_string(0xffffffffa0000000ULL)));
    ASSERT_TRUE(write_file(kFailslab + "require-end", std::to_string(0xffffffffff000000ULL)));
    Sweep s;
    unsigned loaded_anyway = 0;
    for (unsigned n = 1; n <= 5000 && !s.ended; n++) {
        ASSERT_TRUE(arm(n));
        const int err = finit_module_path(ko_);
        if (!fired()) {
            EXPECT_EQ(err, 0) << "finit_module without a fault";
            s.ended = true;
            break;
        }
        s.points++;
        if (err == 0) {
            // The fault hit an allocation whose failure init tolerates (or
            // one after init): the module must work, then go again.
            {
                Device dev;  // closed before the unload below
                auto a = zeroed<kcall_retparam>();
                a.value = 3;
                EXPECT_TRUE(dev.ok() && dev.call(KCALL_IOC_RETPARAM, &a) == 0 && a.result == 3)
                    << "module loaded despite fault " << n << " but does not answer";
            }
            ASSERT_EQ(delete_module_retrying(2000ms, &busy), 0)
                << "refcnt " << read_file("/sys/module/kcall/refcnt");
            loaded_anyway++;
        } else {
            EXPECT_EQ(err, ENOMEM) << "fault " << n;
            s.errors.push_back(err);
        }
    }
    unfilter();
    EXPECT_TRUE(s.ended) << "init still failing after " << s.points << " faults";
    EXPECT_EQ(s.errors.size() + loaded_anyway, s.points);
    EXPECT_GT(s.points, 0u) << "no injection point was hit: is failslab armed?";
    std::printf(
        "fault injection: module init: %u points, %zu failed the load with ENOMEM, "
        "%u loaded anyway and answered\n",
        s.points, s.errors.size(), loaded_anyway);
    EXPECT_TRUE(module_loaded());
}

TEST_F(FaultInjection, EveryOperationOnBothTransports)
{
    Device dev;
    RawGenl nl;
    ASSERT_TRUE(dev.ok());
    ASSERT_TRUE(nl.ok());
    timeval tv{2, 0};  // a lost reply must not hang the sweep
    ASSERT_EQ(setsockopt(nl.fd(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
    static const char kText[] = "fault injection";
    kcall_op_stats entries[16];

    const std::vector<Op> ops = {
        {"goodbye",
         [&] {
             auto a = zeroed<kcall_goodbye>();
             return dev.call(KCALL_IOC_GOODBYE, &a);
         },
         KCALL_CMD_GOODBYE,
         {}},
        {"showparams",
         [&] {
             auto a = zeroed<kcall_showparams>();
             a.value = 5;
             return dev.call(KCALL_IOC_SHOWPARAMS, &a);
         },
         KCALL_CMD_SHOWPARAMS, s32_attr(KCALL_A_VALUE, 5)},
        {"retparam",
         [&] {
             auto a = zeroed<kcall_retparam>();
             a.value = 9;
             return dev.call(KCALL_IOC_RETPARAM, &a);
         },
         KCALL_CMD_RETPARAM, s32_attr(KCALL_A_VALUE, 9)},
        {"retpid",
         [&] {
             auto a = zeroed<kcall_retpid>();
             return dev.call(KCALL_IOC_RETPID, &a);
         },
         KCALL_CMD_RETPID, s32_attr(KCALL_A_WHICH, KCALL_RETPID_SELF)},
        {"taskcount",
         [&] {
             auto a = zeroed<kcall_taskcount>();
             return dev.call(KCALL_IOC_TASKCOUNT, &a);
         },
         KCALL_CMD_TASKCOUNT,
         {}},
        {"message",
         [&] {
             auto a = zeroed<kcall_message>();
             a.text = reinterpret_cast<uintptr_t>(kText);
             return dev.call(KCALL_IOC_MESSAGE, &a);
         },
         KCALL_CMD_MESSAGE, text_attr(kText)},
        {"stats",
         [&] {
             auto a = zeroed<kcall_stats>();
             a.entries = reinterpret_cast<uintptr_t>(entries);
             a.nr_entries = 16;
             return dev.call(KCALL_IOC_STATS, &a);
         },
         KCALL_CMD_STATS,
         {}},
        {"stats_reset",
         [&] {
             auto a = zeroed<kcall_stats_reset>();
             return dev.call(KCALL_IOC_STATS_RESET, &a);
         },
         KCALL_CMD_STATS_RESET,
         {}},
        {"version",
         [&] {
             auto a = zeroed<kcall_version>();
             return dev.call(KCALL_IOC_VERSION, &a);
         },
         KCALL_CMD_VERSION,
         {}},
    };
    const Call sane = [&] {
        arm(0);
        int32_t r = 0;
        const int err = nl.retparam(11, &r);
        auto a = zeroed<kcall_retparam>();
        a.value = 12;
        const int ierr = dev.call(KCALL_IOC_RETPARAM, &a);
        if (err)
            return err;
        if (r != 11 || ierr || a.result != 12)
            return ierr ? ierr : EPROTO;
        return 0;
    };

    unsigned in_kcall_total = 0;
    for (const auto &op : ops) {
        const Call netlink = [&] { return nl.call(op.cmd, op.attrs); };
        for (const bool is_nl : {false, true}) {
            const Call &call = is_nl ? netlink : op.ioctl;
            const char *transport = is_nl ? "netlink" : "ioctl";
            unfilter();
            const Sweep all = sweep(call, sane);
            ASSERT_TRUE(filter_on_kcall());
            const Sweep own = sweep(call, sane);
            unfilter();
            for (int e : all.errors)
                EXPECT_TRUE(allowed(e, is_nl)) << op.name << "/" << transport << ": " << e;
            for (int e : own.errors)
                EXPECT_TRUE(allowed(e, is_nl)) << op.name << "/" << transport << ": " << e;
            EXPECT_TRUE(all.ended) << op.name << "/" << transport << " never stopped failing";
            EXPECT_TRUE(own.ended) << op.name << "/" << transport << " never stopped failing";
            EXPECT_LE(own.points, all.points) << op.name << "/" << transport;
            in_kcall_total += own.points;
            std::printf("fault injection: %-11s %-7s %2u points hit (%s), %u in kcall (%s)\n",
                        op.name.c_str(), transport, all.points, list(all.errors).c_str(),
                        own.points, list(own.errors).c_str());
        }
    }
    EXPECT_GT(in_kcall_total, 0u) << "no injection point inside kcall's own allocations";
}

// kcall's first allocation of a netlink call is its reply: when it fails,
// the operation ran but the caller got no result, so the call failed and
// is counted as failed.
TEST_F(FaultInjection, NetlinkReplyThatCannotBeBuiltCountsAsAFailure)
{
    RawGenl nl;
    ASSERT_TRUE(nl.ok());
    const kcall_op_stats before = op_counters(KCALL_CMD_RETPARAM);
    ASSERT_TRUE(filter_on_kcall());
    ASSERT_TRUE(arm(1));
    const int err = nl.call(KCALL_CMD_RETPARAM, s32_attr(KCALL_A_VALUE, 5));
    ASSERT_TRUE(fired()) << "kcall allocated nothing for a netlink reply";
    unfilter();
    EXPECT_EQ(err, ENOMEM);
    const kcall_op_stats after = op_counters(KCALL_CMD_RETPARAM);
    EXPECT_EQ(after.calls - before.calls, 1U);
    EXPECT_EQ(after.failures - before.failures, 1U);
}

// A listener in another network namespace (an unprivileged unshare -Urn
// may join there) must not make calls nobody can see allocate an event:
// with the stack filter on kcall, no allocation of kcall's runs for an
// ioctl call. (The first call after a join may look once; a call right
// after it must not.) Nor when the foreign user joins and leaves there
// again and again: joins into other namespaces end no quiet time.
class ForeignListenerAllocation : public FaultInjection,
                                  public testing::WithParamInterface<bool> {};

TEST_P(ForeignListenerAllocation, MakesNoCallAllocate)
{
    ForeignListener listener(4000, GetParam());
    ASSERT_EQ(listener.error(), "");
    Device dev;
    ASSERT_TRUE(dev.ok());
    ASSERT_TRUE(filter_on_kcall());
    int allocated = 0;
    for (int round = 0; round < 3; round++) {
        auto warm = zeroed<struct kcall_retparam>();
        warm.value = 1;
        ASSERT_EQ(dev.call(KCALL_IOC_RETPARAM, &warm), 0);
        auto a = zeroed<struct kcall_retparam>();
        a.value = 2;
        ASSERT_TRUE(arm(1));
        const int err = dev.call(KCALL_IOC_RETPARAM, &a);
        if (fired())
            allocated++;
        else
            EXPECT_EQ(err, 0);
    }
    unfilter();
    EXPECT_LT(allocated, 3) << "every call allocated while only a foreign listener listened";
    const std::string result = listener.stop();
    EXPECT_TRUE(result == "events=0" || result.rfind("events=0 ", 0) == 0) << result;
    if (GetParam()) {
        EXPECT_EQ(result.find(" joins=0"), std::string::npos) << result;
    }
}

INSTANTIATE_TEST_SUITE_P(FaultInjection, ForeignListenerAllocation, testing::Bool(),
                         [](const testing::TestParamInfo<bool> &i) {
                             return i.param ? "JoiningAndLeaving" : "Listening";
                         });

}  // namespace
}  // namespace kcall_test
