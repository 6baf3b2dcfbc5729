// SPDX-License-Identifier: MIT
// Transport over /dev/kcall: one ioctl per call, size-first structs.
#include <sys/ioctl.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <string>
#include <utility>

#include <kcall.h>  // the uapi

#include "autoload.hpp"
#include "backends.hpp"
#include "ioctl_device.hpp"
#include "op_table.hpp"
#include "unique_fd.hpp"

namespace kcall {

int IoctlDevice::failed(unsigned long cmd, void *arg, unsigned long shift) noexcept
{
    if (errno != ENOTTY || shift)
        return errno;
    // A module of ABI 2 knows this command by its old number: try it, and
    // keep to old numbers if it answers (the short path, which knows only
    // this ABI's, is turned off; a call already on it comes here again).
    const int answer = ::ioctl(fd_.get(), cmd + kAbi2Shift, arg);
    if (answer != 0 && errno == ENOTTY)
        return ENOTTY;
    number_shift_.store(kAbi2Shift, std::memory_order_relaxed);
    if (short_path_)
        short_path_->store(nullptr, std::memory_order_relaxed);
    return answer == 0 ? 0 : errno;
}

namespace {

class IoctlBackend final : public Backend {
public:
    explicit IoctlBackend(UniqueFd fd)
        : Backend(simple_calls_of<IoctlBackend>, &dev_), dev_(std::move(fd), &short_path())
    {
    }

    Transport transport() const override { return Transport::ioctl; }

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

    Result<std::vector<BatchOutcome>> batch(const std::vector<BatchOp> &ops,
                                            bool keep_going) override
    {
        std::vector<struct kcall_batch_op> recs(ops.size());
        for (std::size_t i = 0; i < ops.size(); i++) {
            recs[i].op = op_number(ops[i].op);
            recs[i].arg = ops[i].arg;
        }
        struct kcall_batch a {};
        a.flags = keep_going ? KCALL_BATCH_CONTINUE : 0;
        a.ops = reinterpret_cast<uintptr_t>(recs.data());
        a.nr_ops = static_cast<uint32_t>(recs.size());
        auto r = run(KCALL_IOC_BATCH, a, [] { return int64_t{0}; });
        if (!r)
            return r.error();
        std::vector<BatchOutcome> out;
        out.reserve(a.nr_ops);
        for (uint32_t i = 0; i < a.nr_ops && i < recs.size(); i++)
            out.push_back({ops[i].op, -recs[i].error, recs[i].result});
        return out;
    }

    // Backend::call() of row I of the op table.
    template <std::size_t I>
    CallResult call_row(int32_t arg)
    {
        if constexpr (!kOpTable[I].simple)
            return {0, not_simple()};
        else
            return dev_.simple<I>(arg);
    }

private:
    template <typename Arg, typename Get>
    Result<int64_t> run(unsigned long cmd, Arg &arg, Get get)
    {
        arg.size = sizeof(arg);
        if (const int err = dev_.ioctl(cmd, &arg))
            return Error{err, {}};
        return get();
    }

    [[gnu::noinline, gnu::cold]] static int not_simple()
    {
        set_call_message("operation has its own call");
        return EINVAL;
    }

    IoctlDevice dev_;
};

}  // namespace

Result<std::unique_ptr<Backend>> open_ioctl_backend()
{
    UniqueFd fd(open_device());
    if (!fd.valid())
        return Error{errno, {}};
    return std::unique_ptr<Backend>(std::make_unique<IoctlBackend>(std::move(fd)));
}

}  // namespace kcall
