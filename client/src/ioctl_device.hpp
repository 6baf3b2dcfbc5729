// SPDX-License-Identifier: MIT
// An open /dev/kcall: the ioctl transport's calls, shared by the ioctl
// backend and by the short paths of kcall::Client and the C API (which
// call a simple operation here directly, with no indirect call on what is
// a system call's path; docs/PERFORMANCE.md).
// Internal: not installed, not part of the ABI.
#pragma once

#include <sys/ioctl.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <kcall.h>  // the uapi

#include "op_table.hpp"
#include "unique_fd.hpp"

namespace kcall {

// What Backend::call() returns, in two registers.
struct CallResult {
    int64_t value = 0;  // the result when err is 0 (0 for ops without one)
    int err = 0;        // 0 or the errno
};

class IoctlDevice {
public:
    // short_path: where Client and the C API find this device for their
    // short path (Backend::device()); cleared when the module turns out to
    // be of ABI 2, whose numbers only ioctl() below uses.
    IoctlDevice(UniqueFd fd, std::atomic<IoctlDevice *> *short_path)
        : fd_(std::move(fd)), short_path_(short_path)
    {
    }

    int fd() const { return fd_.get(); }

    // ioctl(cmd) on a module of ABI 3 or later, the same command's ABI 2
    // number on an older one: 0 or the errno.
    [[gnu::always_inline]] int ioctl(unsigned long cmd, void *arg) noexcept
    {
        const unsigned long shift = number_shift_.load(std::memory_order_relaxed);
        if (::ioctl(fd_.get(), cmd + shift, arg) == 0)
            return 0;
        return failed(cmd, arg, shift);
    }

    // The simple operation of row I of the op table: its struct (size
    // first, then the argument and the result where the row says) with
    // the row's offsets as constants, so that little is loaded and little
    // stays live across the ioctl. Abi3: the short path's, which uses this
    // ABI's numbers as constants (a module of ABI 2 turns it off).
    template <std::size_t I, bool Abi3 = false>
    [[gnu::always_inline]] CallResult simple(int32_t arg) noexcept
    {
        constexpr OpInfo info = kOpTable[I];
        static_assert(info.simple, "not an operation of one int argument and result");
        alignas(8) unsigned char buf[kMaxArgSize] = {};
        constexpr uint32_t size = info.size;
        std::memcpy(buf, &size, sizeof(size));
        if constexpr (info.arg_offset != 0)
            std::memcpy(buf + info.arg_offset, &arg, sizeof(arg));
        if constexpr (Abi3) {
            if (::ioctl(fd_.get(), info.ioctl, buf) != 0) [[unlikely]] {
                if (const int err = failed(info.ioctl, buf, 0))
                    return {0, err};
            }
        } else if (const int err = ioctl(info.ioctl, buf)) [[unlikely]] {
            return {0, err};
        }
        if constexpr (info.result_size == sizeof(int64_t)) {
            uint64_t v = 0;
            std::memcpy(&v, buf + info.result_offset, sizeof(v));
            return {static_cast<int64_t>(v), 0};
        } else if constexpr (info.result_size == sizeof(int32_t)) {
            int32_t v = 0;
            std::memcpy(&v, buf + info.result_offset, sizeof(v));
            return {v, 0};
        } else {
            return {0, 0};
        }
    }

private:
    // What turns a command's number into its ABI 2 number (0x80-: a
    // module older than ABI 3).
    static constexpr unsigned long kAbi2Shift =
        _IO(KCALL_IOCTL_TYPE, KCALL_IOC_NR_BASE_ABI2) - _IO(KCALL_IOCTL_TYPE, KCALL_IOC_NR_BASE);

    // ioctl(cmd + shift) failed: the errno, or the answer of the command's
    // ABI 2 number when the module knows only those. Out of line: the
    // success path stays short (ioctl_backend.cpp).
    [[gnu::noinline]] int failed(unsigned long cmd, void *arg, unsigned long shift) noexcept;

    UniqueFd fd_;
    std::atomic<IoctlDevice *> *short_path_;
    // Added to every command: kAbi2Shift once the module turned out to
    // answer only ABI 2's numbers, else 0.
    std::atomic<unsigned long> number_shift_{0};
};

}  // namespace kcall
