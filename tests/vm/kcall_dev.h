// SPDX-License-Identifier: GPL-2.0-only
// Raw access to /dev/kcall for the in-VM tests: no client library, only the
// uapi header, so these tests pin down the kernel's ABI itself.
#pragma once

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include <gtest/gtest.h>

#include <kcall.h>

namespace kcall_test {

// Owns one open descriptor of /dev/kcall.
class Device {
public:
    Device() : fd_(::open("/dev/" KCALL_DEVICE_NAME, O_RDWR | O_CLOEXEC)) {}
    ~Device()
    {
        if (fd_ >= 0)
            ::close(fd_);
    }
    Device(const Device &) = delete;
    Device &operator=(const Device &) = delete;

    int fd() const { return fd_; }
    bool ok() const { return fd_ >= 0; }

    // 0 on success, else the errno of the failed ioctl.
    int ioctl(unsigned long cmd, void *arg) const
    {
        return ::ioctl(fd_, cmd, arg) == 0 ? 0 : errno;
    }

    // Sets arg->size to the layout this program was built with and runs
    // the ioctl.
    template <typename T>
    int call(unsigned long cmd, T *arg) const
    {
        arg->size = sizeof(T);
        return ioctl(cmd, arg);
    }

private:
    int fd_;
};

// A struct of type T with every byte set to the poison value, size set.
template <typename T>
T poisoned()
{
    T arg;
    std::memset(&arg, 0xa5, sizeof(arg));
    arg.size = sizeof(T);
    return arg;
}

// A struct of type T with every byte zero, size set.
template <typename T>
T zeroed()
{
    T arg{};
    arg.size = sizeof(T);
    return arg;
}

// One operation's counters (calls, failures), read over ioctl; an op the
// module does not list reads as all zero and fails the test.
inline kcall_op_stats op_counters(uint32_t op)
{
    Device dev;
    kcall_op_stats entries[32] = {};
    auto a = zeroed<struct kcall_stats>();
    a.entries = reinterpret_cast<uintptr_t>(entries);
    a.nr_entries = 32;
    EXPECT_EQ(dev.call(KCALL_IOC_STATS, &a), 0);
    for (uint32_t i = 0; i < a.nr_entries && i < 32; i++) {
        if (entries[i].op == op)
            return entries[i];
    }
    ADD_FAILURE() << "no counters for op " << op;
    return {};
}

}  // namespace kcall_test
