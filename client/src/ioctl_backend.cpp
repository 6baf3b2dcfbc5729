// SPDX-License-Identifier: MIT
// Transport over /dev/kcall: one ioctl per call, size-first structs.
#include <fcntl.h>
#include <sys/ioctl.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>

#include <kcall.h>  // the uapi

#include "autoload.hpp"
#include "backends.hpp"
#include "op_table.hpp"
#include "unique_fd.hpp"

namespace kcall {

namespace {

class IoctlBackend final : public Backend {
public:
    explicit IoctlBackend(UniqueFd fd) : fd_(std::move(fd)) {}

    Transport transport() const override { return Transport::ioctl; }

    Result<int64_t> call(Op op, int32_t arg) override
    {
        const OpInfo &info = op_info(op);
        if (!info.simple)
            return Error{EINVAL, "operation has its own call"};
        // The op's struct, described by its row: size first, then the
        // argument and the result where the row says.
        alignas(8) std::array<unsigned char, kMaxArgSize> buf{};
        std::memcpy(buf.data(), &info.size, sizeof(info.size));
        if (info.arg_offset)
            std::memcpy(buf.data() + info.arg_offset, &arg, sizeof(arg));
        if (const int err = ioctl_abi2(info.ioctl, buf.data()))
            return Error{err, {}};
        if (info.result_size == sizeof(int64_t)) {
            uint64_t v = 0;
            std::memcpy(&v, buf.data() + info.result_offset, sizeof(v));
            return static_cast<int64_t>(v);
        }
        if (info.result_size == sizeof(int32_t)) {
            int32_t v = 0;
            std::memcpy(&v, buf.data() + info.result_offset, sizeof(v));
            return int64_t{v};
        }
        return int64_t{0};
    }

    Result<void> message(std::string_view text) override
    {
        const std::string z(text);  // NUL-terminated for the kernel
        struct kcall_message a {};
        a.text = reinterpret_cast<uintptr_t>(z.c_str());
        auto r = run(KCALL_IOC_MESSAGE, a, [] { return int64_t{0}; });
        if (!r)
            return r.error();
        return {};
    }

    Result<std::vector<OpStats>> stats() override
    {
        // Room for more operations than we know; grow if the module has more.
        std::vector<struct kcall_op_stats> raw(32);
        for (;;) {
            struct kcall_stats a {};
            a.entries = reinterpret_cast<uintptr_t>(raw.data());
            a.nr_entries = static_cast<uint32_t>(raw.size());
            auto r = run(KCALL_IOC_STATS, a, [] { return int64_t{0}; });
            if (!r)
                return r.error();
            if (a.nr_entries > raw.size()) {
                raw.resize(a.nr_entries);
                continue;
            }
            std::vector<OpStats> out;
            for (uint32_t i = 0; i < a.nr_entries; i++)
                out.push_back({raw[i].op, raw[i].calls, raw[i].failures});
            return out;
        }
    }

    Result<ModuleVersion> version() override
    {
        struct kcall_version a {};
        auto r = run(KCALL_IOC_VERSION, a, [] { return int64_t{0}; });
        if (!r)
            return r.error();
        return ModuleVersion{a.abi_version, a.features};
    }

private:
    // ABI 2's number of a command (0x80-: a module older than ABI 3).
    static unsigned long abi2_number(unsigned long cmd)
    {
        return cmd - _IO(KCALL_IOCTL_TYPE, KCALL_IOC_NR_BASE) +
               _IO(KCALL_IOCTL_TYPE, KCALL_IOC_NR_BASE_ABI2);
    }

    template <typename Arg, typename Get>
    Result<int64_t> run(unsigned long cmd, Arg &arg, Get get)
    {
        arg.size = sizeof(arg);
        if (const int err = ioctl_abi2(cmd, &arg))
            return Error{err, {}};
        return get();
    }

    // ioctl(cmd) on a module of ABI 3 or later, the same command's ABI 2
    // number on an older one: 0 or the errno (a plain int: this is every
    // call's path, and a Result would be built and torn down each time).
    int ioctl_abi2(unsigned long cmd, void *arg) noexcept
    {
        const bool abi2 = abi2_.load(std::memory_order_relaxed);
        if (::ioctl(fd_.get(), abi2 ? abi2_number(cmd) : cmd, arg) == 0)
            return 0;
        if (errno != ENOTTY || abi2)
            return errno;
        // A module of ABI 2 knows this command by its old number: try it
        // once, and keep to old numbers if it answers.
        if (::ioctl(fd_.get(), abi2_number(cmd), arg) != 0) {
            if (errno == ENOTTY)
                return ENOTTY;
            abi2_.store(true, std::memory_order_relaxed);
            return errno;
        }
        abi2_.store(true, std::memory_order_relaxed);
        return 0;
    }

    UniqueFd fd_;
    // The module answers only ABI 2's numbers.
    std::atomic<bool> abi2_{false};
};

}  // namespace

Result<std::unique_ptr<Backend>> open_ioctl_backend()
{
    UniqueFd fd(::open("/dev/" KCALL_DEVICE_NAME, O_RDWR | O_CLOEXEC));
    // No node: the module is not loaded (there is no static node to load
    // it on open); loading it creates the node before the answer comes.
    if (!fd.valid() && errno == ENOENT) {
        if (!autoload_module())
            return Error{ENOENT, {}};
        fd = UniqueFd(::open("/dev/" KCALL_DEVICE_NAME, O_RDWR | O_CLOEXEC));
    }
    if (!fd.valid())
        return Error{errno, {}};
    return std::unique_ptr<Backend>(std::make_unique<IoctlBackend>(std::move(fd)));
}

}  // namespace kcall
