// SPDX-License-Identifier: MIT
// The transport seam under kcall::Client: one call per operation shape.
// The library has two (ioctl, netlink); tests supply fakes.
// Internal: not installed, not part of the ABI.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ioctl_device.hpp"
#include "kcall/kcall.hpp"
#include "op_table.hpp"

namespace kcall {

inline constexpr std::size_t kOpCount = std::size(kOpTable);

class Backend {
public:
    // What call() runs for each row of the op table (Op's order); built
    // by simple_calls_of<>() below.
    using SimpleCall = CallResult (*)(Backend &self, int32_t arg);
    using SimpleCalls = std::array<SimpleCall, kOpCount>;

    // device: the backend's /dev/kcall, if it is the ioctl transport.
    explicit Backend(const SimpleCalls &calls, IoctlDevice *device = nullptr)
        : calls_(&calls), device_(device)
    {
    }
    virtual ~Backend() = default;
    Backend(const Backend &) = delete;
    Backend &operator=(const Backend &) = delete;

    virtual Transport transport() const = 0;
    // Runs an operation with at most one int argument and result:
    // goodbye, showparams, retparam, retpid, taskcount, stats_reset. The
    // argument is ignored by those without one. Returns the result, or
    // the errno; the kernel's explanation of a failure (netlink extended
    // ACK) is then left for call_message(). Not a Result, no string,
    // and not virtual: one
    // indirect call through the backend's table of per-op functions, as
    // this is every simple call's path and its cost is counted
    // (tests/bench/lib-cost.py). op is one of Op's values.
    CallResult call(Op op, int32_t arg)
    {
        return (*calls_)[static_cast<std::size_t>(op)](*this, arg);
    }
    // The backend's /dev/kcall if it is the ioctl transport (of this ABI's
    // numbers), else nullptr.
    IoctlDevice *device() const { return device_.load(std::memory_order_relaxed); }
    // call() of op O, made in place when this is the ioctl transport: the
    // short path of Client and the C API.
    template <Op O>
    [[gnu::always_inline]] CallResult call(int32_t arg)
    {
        if (IoctlDevice *device = this->device()) [[likely]]
            return device->simple<static_cast<std::size_t>(O), true>(arg);
        return call(O, arg);
    }
    // text has no NUL bytes (the client checks).
    virtual Result<void> message(std::string_view text) = 0;
    virtual Result<std::vector<OpStats>> stats() = 0;
    // ENOTTY (ioctl) or EOPNOTSUPP (netlink) from a module of ABI 1.
    virtual Result<ModuleVersion> version() = 0;
    // One batch of at most KCALL_BATCH_MAX records (the client splits
    // larger ones): the outcomes of the records that ran.
    virtual Result<std::vector<BatchOutcome>> batch(const std::vector<BatchOp> &ops,
                                                    bool keep_going) = 0;

protected:
    std::atomic<IoctlDevice *> &short_path() { return device_; }

private:
    const SimpleCalls *calls_;
    std::atomic<IoctlDevice *> device_;
};

// Row I of backend D's table: D's member template call_row<I>(arg), which
// runs row I of the op table (and refuses a row that is not simple).
template <typename D, std::size_t I>
CallResult call_row_of(Backend &self, int32_t arg)
{
    return static_cast<D &>(self).template call_row<I>(arg);
}

template <typename D, std::size_t... I>
constexpr Backend::SimpleCalls make_simple_calls(std::index_sequence<I...> /*rows*/)
{
    return {&call_row_of<D, I>...};
}

// The table of backend D.
template <typename D>
inline constexpr Backend::SimpleCalls simple_calls_of =
    make_simple_calls<D>(std::make_index_sequence<kOpCount>());

// The explanation of this thread's last failed Backend::call(), which a
// backend sets before it returns the errno: call_message() is "" when it
// set none. Whoever reads it clears it, so that a later failure without one
// does not inherit it. Per thread, so that concurrent calls on one backend
// keep theirs apart; in a fixed array (FixedText), so that it works in key
// destructors and atexit handlers too. None of them allocates or throws.
void set_call_message(std::string_view message) noexcept;
const char *call_message() noexcept;
void clear_call_message() noexcept;
// Error{err, call_message()}, clearing it (may throw std::bad_alloc).
Error take_call_error(int err);

}  // namespace kcall
