// SPDX-License-Identifier: GPL-2.0-only
// The /dev/kcall ioctl ABI on the raw uapi: argument checking, bad
// pointers, unknown commands, reserved fields, struct sizes and output
// initialisation.
#include <gtest/gtest.h>

#include <sys/mman.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "kcall_dev.h"

namespace kcall_test {
namespace {

// Every command with the size of its argument struct.
struct Command {
    const char *name;
    unsigned long cmd;
    uint32_t size;
};

const Command kCommands[] = {
    {"goodbye", KCALL_IOC_GOODBYE, sizeof(kcall_goodbye)},
    {"showparams", KCALL_IOC_SHOWPARAMS, sizeof(kcall_showparams)},
    {"retparam", KCALL_IOC_RETPARAM, sizeof(kcall_retparam)},
    {"retpid", KCALL_IOC_RETPID, sizeof(kcall_retpid)},
    {"taskcount", KCALL_IOC_TASKCOUNT, sizeof(kcall_taskcount)},
};

// An address in the kernel half of the address space: never accessible.
void *const kKernelAddress = reinterpret_cast<void *>(0xffffffff81000000UL);

class IoctlAbi : public testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(dev_.ok()) << "open /dev/kcall: " << std::strerror(errno); }

    // A zeroed argument buffer of n bytes whose leading __u32 is size.
    static std::vector<unsigned char> buffer(size_t n, uint32_t size)
    {
        std::vector<unsigned char> buf(n, 0);
        std::memcpy(buf.data(), &size, sizeof(size));
        return buf;
    }

    Device dev_;
};

TEST_F(IoctlAbi, NullArgumentIsEfault)
{
    for (const auto &c : kCommands)
        EXPECT_EQ(dev_.ioctl(c.cmd, nullptr), EFAULT) << c.name;
}

TEST_F(IoctlAbi, KernelAddressArgumentIsEfault)
{
    for (const auto &c : kCommands)
        EXPECT_EQ(dev_.ioctl(c.cmd, kKernelAddress), EFAULT) << c.name;
}

TEST_F(IoctlAbi, ReadOnlyArgumentIsEfaultForOutputs)
{
    // Valid requests in memory the kernel may read but not write.
    void *page = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(page, MAP_FAILED);
    auto *retparam = static_cast<kcall_retparam *>(page);
    *retparam = zeroed<kcall_retparam>();
    retparam->value = 7;
    auto *goodbye = reinterpret_cast<kcall_goodbye *>(static_cast<char *>(page) + 2048);
    *goodbye = zeroed<kcall_goodbye>();
    ASSERT_EQ(mprotect(page, 4096, PROT_READ), 0);

    EXPECT_EQ(dev_.ioctl(KCALL_IOC_RETPARAM, retparam), EFAULT);
    // goodbye writes nothing back, so read-only memory is enough for it.
    EXPECT_EQ(dev_.ioctl(KCALL_IOC_GOODBYE, goodbye), 0);
    munmap(page, 4096);
}

TEST_F(IoctlAbi, ArgumentStraddlingUnmappedMemoryIsEfault)
{
    // Map two pages, unmap the second; the struct starts 8 bytes before it.
    auto *base = static_cast<unsigned char *>(
        mmap(nullptr, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    ASSERT_NE(base, MAP_FAILED);
    ASSERT_EQ(munmap(base + 4096, 4096), 0);
    auto *arg = reinterpret_cast<kcall_taskcount *>(base + 4096 - 8);
    arg->size = sizeof(kcall_taskcount);
    arg->flags = 0;
    EXPECT_EQ(dev_.ioctl(KCALL_IOC_TASKCOUNT, arg), EFAULT);
    munmap(base, 4096);
}

// A program built against ABI 2's header uses 0x80 + number - 1: still the
// same operations (deprecated until ABI 4), counted like the new numbers.
TEST_F(IoctlAbi, Abi2NumbersStillAnswer)
{
    const auto old_number = [](unsigned long cmd) {
        return cmd - _IO(KCALL_IOCTL_TYPE, KCALL_IOC_NR_BASE) +
               _IO(KCALL_IOCTL_TYPE, KCALL_IOC_NR_BASE_ABI2);
    };
    EXPECT_EQ(old_number(KCALL_IOC_RETPARAM), 0xCA82UL);
    const auto calls = [] { return op_counters(KCALL_CMD_RETPARAM).calls; };
    const uint64_t before = calls();
    auto r = zeroed<kcall_retparam>();
    r.value = 9;
    ASSERT_EQ(dev_.ioctl(old_number(KCALL_IOC_RETPARAM), &r), 0);
    EXPECT_EQ(r.result, 9);
    auto n = zeroed<kcall_retparam>();
    n.value = 10;
    ASSERT_EQ(dev_.ioctl(KCALL_IOC_RETPARAM, &n), 0);
    EXPECT_EQ(n.result, 10);
    EXPECT_EQ(calls() - before, 2U) << "old and new numbers are counted alike";
    auto v = zeroed<kcall_version>();
    ASSERT_EQ(dev_.ioctl(old_number(KCALL_IOC_VERSION), &v), 0);
    EXPECT_EQ(v.abi_version, static_cast<__u32>(KCALL_ABI_VERSION));
    auto bad = zeroed<kcall_retparam>();
    bad.value = 2000;
    EXPECT_EQ(dev_.ioctl(old_number(KCALL_IOC_RETPARAM), &bad), EINVAL);
}

TEST_F(IoctlAbi, UnknownCommandsAreEnotty)
{
    auto arg = zeroed<kcall_taskcount>();
    const unsigned long unknown[] = {
        _IO(KCALL_IOCTL_TYPE, KCALL_IOC_NR_BASE - 1),
        _IO(KCALL_IOCTL_TYPE, KCALL_IOC_NR_VERSION + 1),
        _IO(KCALL_IOCTL_TYPE, KCALL_IOC_NR_BASE_ABI2 - 1),
        _IO(KCALL_IOCTL_TYPE,
            KCALL_IOC_NR_BASE_ABI2 + KCALL_IOC_NR_VERSION - KCALL_IOC_NR_BASE + 1),
        _IO(KCALL_IOCTL_TYPE, 0),
        _IO(KCALL_IOCTL_TYPE, 0xff),
        _IO(KCALL_IOCTL_TYPE + 1, KCALL_IOC_NR_RETPARAM),
        // A known number with direction and size bits is another command.
        _IOWR(KCALL_IOCTL_TYPE, KCALL_IOC_NR_RETPARAM, struct kcall_retparam),
        _IOR(KCALL_IOCTL_TYPE, KCALL_IOC_NR_TASKCOUNT, struct kcall_taskcount),
        0,
        0xffffffffUL,
    };
    for (unsigned long cmd : unknown)
        EXPECT_EQ(dev_.ioctl(cmd, &arg), ENOTTY) << std::hex << cmd;
}

TEST_F(IoctlAbi, NonZeroFlagsAreEinval)
{
    for (uint32_t flags : {1U, 2U, 0x80000000U}) {
        auto g = zeroed<kcall_goodbye>();
        g.flags = flags;
        EXPECT_EQ(dev_.call(KCALL_IOC_GOODBYE, &g), EINVAL);
        auto s = zeroed<kcall_showparams>();
        s.flags = flags;
        EXPECT_EQ(dev_.call(KCALL_IOC_SHOWPARAMS, &s), EINVAL);
        auto r = zeroed<kcall_retparam>();
        r.flags = flags;
        EXPECT_EQ(dev_.call(KCALL_IOC_RETPARAM, &r), EINVAL);
        auto p = zeroed<kcall_retpid>();
        p.flags = flags;
        EXPECT_EQ(dev_.call(KCALL_IOC_RETPID, &p), EINVAL);
        auto t = zeroed<kcall_taskcount>();
        t.flags = flags;
        EXPECT_EQ(dev_.call(KCALL_IOC_TASKCOUNT, &t), EINVAL);
    }
}

TEST_F(IoctlAbi, NonZeroReservedIsEinval)
{
    auto s = zeroed<kcall_showparams>();
    s.__reserved = 1;
    EXPECT_EQ(dev_.call(KCALL_IOC_SHOWPARAMS, &s), EINVAL);
    s.__reserved = 0;
    EXPECT_EQ(dev_.call(KCALL_IOC_SHOWPARAMS, &s), 0);
}

TEST_F(IoctlAbi, OutputMembersAreIgnoredOnInput)
{
    auto r = zeroed<kcall_retparam>();
    r.value = 5;
    r.result = -1;
    ASSERT_EQ(dev_.call(KCALL_IOC_RETPARAM, &r), 0);
    EXPECT_EQ(r.result, 5);
}

TEST_F(IoctlAbi, SizeBelowFirstLayoutIsEinval)
{
    for (const auto &c : kCommands) {
        for (uint32_t size : {0U, 4U, c.size - 1}) {
            auto buf = buffer(c.size, size);
            EXPECT_EQ(dev_.ioctl(c.cmd, buf.data()), EINVAL) << c.name << " size " << size;
        }
    }
}

TEST_F(IoctlAbi, LargerStructWithZeroTailIsAccepted)
{
    // A newer program's struct: our layout followed by zero bytes.
    for (const auto &c : kCommands) {
        auto buf = buffer(c.size + 64, c.size + 64);
        EXPECT_EQ(dev_.ioctl(c.cmd, buf.data()), 0) << c.name;
    }
}

TEST_F(IoctlAbi, UnknownNonZeroTailIsE2big)
{
    for (const auto &c : kCommands) {
        for (size_t extra : {1U, 8U, 4096U}) {
            auto buf = buffer(c.size + extra, static_cast<uint32_t>(c.size + extra));
            buf.back() = 1;
            EXPECT_EQ(dev_.ioctl(c.cmd, buf.data()), E2BIG) << c.name << " +" << extra;
        }
    }
}

TEST_F(IoctlAbi, OutputIsWrittenOnlyUpToOurLayout)
{
    // The kernel writes its struct, never the caller's bytes past it.
    auto buf = buffer(sizeof(kcall_retparam) + 16, sizeof(kcall_retparam) + 16);
    auto *arg = reinterpret_cast<kcall_retparam *>(buf.data());
    arg->value = 9;
    ASSERT_EQ(dev_.ioctl(KCALL_IOC_RETPARAM, buf.data()), 0);
    EXPECT_EQ(arg->result, 9);
    for (size_t i = sizeof(kcall_retparam); i < buf.size(); i++)
        EXPECT_EQ(buf[i], 0) << "byte " << i;
}

TEST_F(IoctlAbi, EveryReturnedByteIsDefined)
{
    // Poison everything, set the inputs, and check the whole struct after.
    auto r = poisoned<kcall_retparam>();
    r.flags = 0;
    r.value = 1024;
    ASSERT_EQ(dev_.call(KCALL_IOC_RETPARAM, &r), 0);
    EXPECT_EQ(r.size, sizeof(r));
    EXPECT_EQ(r.flags, 0U);
    EXPECT_EQ(r.value, 1024);
    EXPECT_EQ(r.result, 1024);

    auto p = poisoned<kcall_retpid>();
    p.flags = 0;
    p.which = KCALL_RETPID_SELF;
    ASSERT_EQ(dev_.call(KCALL_IOC_RETPID, &p), 0);
    EXPECT_EQ(p.flags, 0U);
    EXPECT_EQ(p.which, KCALL_RETPID_SELF);
    EXPECT_EQ(p.pid, getpid());

    auto t = poisoned<kcall_taskcount>();
    t.flags = 0;
    ASSERT_EQ(dev_.call(KCALL_IOC_TASKCOUNT, &t), 0);
    EXPECT_EQ(t.flags, 0U);
    EXPECT_GT(t.count, 0U);
    EXPECT_LT(t.count, 1U << 22) << "more processes than PID_MAX_LIMIT: garbage";
}

TEST_F(IoctlAbi, FailedCallLeavesOutputUntouched)
{
    auto r = poisoned<kcall_retparam>();
    r.flags = 0;
    r.value = 1025;
    ASSERT_EQ(dev_.call(KCALL_IOC_RETPARAM, &r), EINVAL);
    uint32_t poison;
    std::memset(&poison, 0xa5, sizeof(poison));
    EXPECT_EQ(static_cast<uint32_t>(r.result), poison);
}

TEST_F(IoctlAbi, ReadWriteAndSeekAreNotSupported)
{
    char c;
    EXPECT_EQ(read(dev_.fd(), &c, 1), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(write(dev_.fd(), &c, 1), -1);
    EXPECT_EQ(errno, EINVAL);
}

}  // namespace
}  // namespace kcall_test
