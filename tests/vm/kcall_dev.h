// SPDX-License-Identifier: GPL-2.0-only
// Raw access to /dev/kcall for the in-VM tests: no client library, only the
// uapi header, so these tests pin down the kernel's ABI itself.
#pragma once

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

}  // namespace kcall_test
