// SPDX-License-Identifier: MIT
// Transport over /dev/kcall: one ioctl per call, size-first structs.
#include <fcntl.h>
#include <sys/ioctl.h>

#include <atomic>
#include <cerrno>
#include <string>

#include <kcall.h>  // the uapi

#include "autoload.hpp"
#include "backends.hpp"
#include "unique_fd.hpp"

namespace kcall {

namespace {

class IoctlBackend final : public Backend {
public:
    explicit IoctlBackend(UniqueFd fd) : fd_(std::move(fd)) {}

    Transport transport() const override { return Transport::ioctl; }

    Result<int64_t> call(Op op, int32_t arg) override
    {
        switch (op) {
            case Op::goodbye: {
                struct kcall_goodbye a {};
                return run(KCALL_IOC_GOODBYE, a, [] { return int64_t{0}; });
            }
            case Op::showparams: {
                struct kcall_showparams a {};
                a.value = arg;
                return run(KCALL_IOC_SHOWPARAMS, a, [] { return int64_t{0}; });
            }
            case Op::retparam: {
                struct kcall_retparam a {};
                a.value = arg;
                return run(KCALL_IOC_RETPARAM, a, [&a] { return int64_t{a.result}; });
            }
            case Op::retpid: {
                struct kcall_retpid a {};
                a.which = arg;
                return run(KCALL_IOC_RETPID, a, [&a] { return int64_t{a.pid}; });
            }
            case Op::taskcount: {
                struct kcall_taskcount a {};
                return run(KCALL_IOC_TASKCOUNT, a, [&a] { return static_cast<int64_t>(a.count); });
            }
            case Op::stats_reset: {
                struct kcall_stats_reset a {};
                return run(KCALL_IOC_STATS_RESET, a, [] { return int64_t{0}; });
            }
            case Op::message:
            case Op::stats:
            case Op::version:
                break;
        }
        return Error{EINVAL, "operation has its own call"};
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
        const bool abi2 = abi2_.load(std::memory_order_relaxed);
        if (::ioctl(fd_.get(), abi2 ? abi2_number(cmd) : cmd, &arg) == 0)
            return get();
        if (errno != ENOTTY || abi2)
            return Error{errno, {}};
        // A module of ABI 2 knows this command by its old number: try it
        // once, and keep to old numbers if it answers.
        if (::ioctl(fd_.get(), abi2_number(cmd), &arg) != 0) {
            if (errno == ENOTTY)
                return Error{ENOTTY, {}};
            abi2_.store(true, std::memory_order_relaxed);
            return Error{errno, {}};
        }
        abi2_.store(true, std::memory_order_relaxed);
        return get();
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
