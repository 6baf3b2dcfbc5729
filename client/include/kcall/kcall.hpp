// SPDX-License-Identifier: MIT
// libkcall C++ API: RAII clients per transport, value-or-error results.
// Nothing here throws across the library boundary: every failure comes
// back as an Error carrying the errno and the kernel's explanation.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "kcall/kcall.h"

namespace kcall {

enum class Transport { automatic = 0, ioctl = 1, netlink = 2 };

KCALL_API const char *to_string(Transport t);

// kcall's operations, in the uapi's order; op_number() gives the uapi number.
enum class Op {
    goodbye,
    showparams,
    retparam,
    retpid,
    taskcount,
    message,
    stats,
    stats_reset,
    version,
};

// "retparam"; "stats_reset" for Op::stats_reset.
KCALL_API const char *to_string(Op op);
// The uapi operation number (enum kcall_cmd) of op, and back; nullptr /
// false for a number this library does not know.
KCALL_API uint32_t op_number(Op op);
KCALL_API bool op_from_number(uint32_t number, Op *op);

// Call counters of one operation (struct kcall_op_stats).
struct OpStats {
    uint32_t op = 0;  // operation number; may be one newer than this library
    uint64_t calls = 0;
    uint64_t failures = 0;
};

// What the loaded module supports.
struct ModuleVersion {
    uint32_t abi_version = 0;
    uint64_t features = 0;  // bit N: operation number N
    bool has(Op op) const { return (features >> op_number(op)) & 1U; }
};

// One call seen on the "events" multicast group.
struct Event {
    uint32_t op = 0;  // operation number
    Transport transport = Transport::automatic;
    int32_t pid = 0;  // the caller's pid in the initial pid namespace
    std::string comm;
    int64_t arg = 0;  // the argument; message: the text's length
    int error = 0;    // 0 on success, else the errno
    int64_t result = 0;
};

// What went wrong: the errno, and the kernel's message when it sent one.
struct KCALL_API Error {
    int code = 0;
    std::string message;

    // "strerror(code)[: message]"
    std::string what() const;
};

namespace detail {
// Reached only through a broken precondition (value() of an error, error()
// of a value). std::expected throws there; libkcall promises not to throw,
// so it says what happened and aborts, like a failed assert.
[[noreturn]] inline void bad_result_access(const char *what, const Error *e)
{
    std::fprintf(stderr, "libkcall: %s%s%s\n", what, e ? ": " : "", e ? e->what().c_str() : "");
    std::abort();
}
}  // namespace detail

// A value or an Error. Its names are std::expected's (C++23), so that a
// later major version can be std::expected<T, Error>: has_value, value,
// error, value_or, and_then, transform, or_else; Result<void> for
// operations without a value. Unlike std::expected, value() of an error
// and error() of a value abort instead of throwing.
template <typename T>
class Result;

// Success without a value, or an Error.
template <>
class [[nodiscard]] Result<void> {
public:
    using value_type = void;
    using error_type = Error;

    Result() = default;
    Result(Error error)
        : error_(std::move(error)), failed_(true) {}  // NOLINT(google-explicit-constructor)

    bool has_value() const noexcept { return !failed_; }
    explicit operator bool() const noexcept { return has_value(); }
    void value() const
    {
        if (failed_)
            detail::bad_result_access("value() of a failed Result", &error_);
    }
    void operator*() const { value(); }
    const Error &error() const &
    {
        if (!failed_)
            detail::bad_result_access("error() of a Result that holds a value", nullptr);
        return error_;
    }

    // f() -> Result<U>
    template <typename F>
    auto and_then(F &&f) const
    {
        using R = std::remove_cvref_t<std::invoke_result_t<F>>;
        return has_value() ? std::invoke(std::forward<F>(f)) : R(error_);
    }
    // f() -> U, giving Result<U>
    template <typename F>
    auto transform(F &&f) const
    {
        using U = std::remove_cvref_t<std::invoke_result_t<F>>;
        if constexpr (std::is_void_v<U>) {
            if (failed_)
                return Result<void>(error_);
            std::invoke(std::forward<F>(f));
            return Result<void>();
        } else {
            return has_value() ? Result<U>(std::invoke(std::forward<F>(f))) : Result<U>(error_);
        }
    }
    // f(error) -> Result<void>
    template <typename F>
    Result or_else(F &&f) const
    {
        return has_value() ? *this : Result(std::invoke(std::forward<F>(f), error_));
    }

private:
    Error error_;
    bool failed_ = false;
};

template <typename T>
class [[nodiscard]] Result {
public:
    using value_type = T;
    using error_type = Error;

    Result(T value)
        : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
    Result(Error error)
        : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool has_value() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    const T &value() const & { return *get(); }
    T &value() & { return *get(); }
    T &&value() && { return std::move(*get()); }
    const T &operator*() const & { return value(); }
    T &operator*() & { return value(); }
    T &&operator*() && { return std::move(*this).value(); }
    const T *operator->() const { return get(); }
    T *operator->() { return get(); }

    const Error &error() const &
    {
        if (const Error *e = std::get_if<1>(&v_))
            return *e;
        detail::bad_result_access("error() of a Result that holds a value", nullptr);
    }

    template <typename U>
    T value_or(U &&fallback) const &
    {
        return has_value() ? value() : static_cast<T>(std::forward<U>(fallback));
    }
    template <typename U>
    T value_or(U &&fallback) &&
    {
        return has_value() ? std::move(value()) : static_cast<T>(std::forward<U>(fallback));
    }

    // f(value) -> Result<U>; an error passes through.
    template <typename F>
    auto and_then(F &&f) const &
    {
        using R = std::remove_cvref_t<std::invoke_result_t<F, const T &>>;
        return has_value() ? std::invoke(std::forward<F>(f), value()) : R(error());
    }
    // f(value) -> U, giving Result<U>; an error passes through.
    template <typename F>
    auto transform(F &&f) const &
    {
        using U = std::remove_cvref_t<std::invoke_result_t<F, const T &>>;
        if constexpr (std::is_void_v<U>) {
            if (!has_value())
                return Result<void>(error());
            std::invoke(std::forward<F>(f), value());
            return Result<void>();
        } else {
            return has_value() ? Result<U>(std::invoke(std::forward<F>(f), value()))
                               : Result<U>(error());
        }
    }
    // f(error) -> Result<T>; a value passes through.
    template <typename F>
    Result or_else(F &&f) const &
    {
        return has_value() ? *this : Result(std::invoke(std::forward<F>(f), error()));
    }

private:
    const T *get() const
    {
        if (const T *v = std::get_if<0>(&v_))
            return v;
        detail::bad_result_access("value() of a failed Result", std::get_if<1>(&v_));
    }
    T *get()
    {
        if (T *v = std::get_if<0>(&v_))
            return v;
        detail::bad_result_access("value() of a failed Result", std::get_if<1>(&v_));
    }

    std::variant<T, Error> v_;
};

// One operation of a batch (Client::run()): goodbye, showparams,
// retparam, retpid, taskcount or stats_reset, with its argument.
struct BatchOp {
    Op op = Op::goodbye;
    int32_t arg = 0;
};

// What one operation of a batch did.
struct BatchOutcome {
    Op op = Op::goodbye;
    int error = 0;       // 0, or the errno
    int64_t result = 0;  // the result on success (0 for ops without one)
};

// Many operations for one kernel entry: Batch().retparam(7).taskcount().
class Batch {
public:
    Batch &goodbye() { return add(Op::goodbye); }
    Batch &showparams(int32_t value) { return add(Op::showparams, value); }
    Batch &retparam(int32_t value) { return add(Op::retparam, value); }
    Batch &retpid(int32_t which) { return add(Op::retpid, which); }
    Batch &taskcount() { return add(Op::taskcount); }
    Batch &stats_reset() { return add(Op::stats_reset); }
    // Any operation: one a batch cannot carry (message, stats, version)
    // fails its record with EOPNOTSUPP when the batch runs.
    Batch &add(Op op, int32_t arg = 0)
    {
        ops_.push_back({op, arg});
        return *this;
    }
    const std::vector<BatchOp> &ops() const { return ops_; }
    std::size_t size() const { return ops_.size(); }
    bool empty() const { return ops_.empty(); }
    void clear() { ops_.clear(); }

private:
    std::vector<BatchOp> ops_;
};

class Backend;

// One connection to the module. Move-only; closes on destruction.
// Safe to use from several threads at once.
//
// Across fork(): over ioctl, parent and child share the open /dev/kcall
// (each call is one ioctl, so both may go on using it). Over netlink, a
// child's first call opens a socket of its own and the parent keeps the
// inherited one, so neither can read the other's answers. After a module
// reload, a netlink client finds the family's new id by itself; an ioctl
// client keeps the module loaded (rmmod: EBUSY) until it is closed.
class KCALL_API Client {
public:
    // Opens the transport (automatic: KCALL_TRANSPORT env, else ioctl,
    // else netlink). ENOENT when the module is not there.
    static Result<Client> open(Transport transport = Transport::automatic);
    // Internal (tests): a client over any backend. Backend is not part of
    // the installed API.
    KCALL_LOCAL explicit Client(std::unique_ptr<Backend> backend);

    Client(Client &&) noexcept;
    Client &operator=(Client &&) noexcept;
    ~Client();

    Transport transport() const;

    Result<void> goodbye();
    Result<void> showparams(int32_t value);
    Result<int32_t> retparam(int32_t value);
    Result<int32_t> retpid(int32_t which);
    Result<uint64_t> taskcount();
    // A text of at most 255 bytes, without NUL bytes, logged by the kernel.
    Result<void> message(std::string_view text);
    // Counters of every operation the module has.
    Result<std::vector<OpStats>> stats();
    // Zeroes the counters; EPERM without CAP_SYS_ADMIN.
    Result<void> stats_reset();
    // ABI version and features; EOPNOTSUPP "module too old for version"
    // from a module of ABI 1.
    Result<ModuleVersion> version();
    // Runs the batch's operations in order, with as few kernel entries as
    // the module allows (KCALL_BATCH_MAX records each): the outcomes of
    // those that ran, all of them, or up to and including the first that
    // failed unless keep_going. An Error only when the batch itself fails
    // (EOPNOTSUPP "module too old for batch", EFAULT, ENOMEM...); an
    // operation's failure is its outcome's error. A batch of more than
    // KCALL_BATCH_MAX records whose later kernel entry fails as a whole
    // (ETIMEDOUT, ENOBUFS, ENOMEM) stops there: the outcomes of the records
    // that ran, then that entry's first record with the entry's errno (it
    // may or may not have run).
    Result<std::vector<BatchOutcome>> run(const Batch &batch, bool keep_going = false);

private:
    // EOPNOTSUPP "module too old for <op>" when the module lacks op. The
    // module is asked once per client.
    KCALL_LOCAL Result<void> require(Op op);

    std::unique_ptr<Backend> backend_;
    // The module's features, 0 until asked; atomic as calls may race.
    std::unique_ptr<std::atomic<uint64_t>> features_;
};

// A subscription to the module's "events" multicast group (generic
// netlink): one Event per call of any operation, from either transport,
// made in the initial network namespace (nothing arrives in another one).
// Needs CAP_SYS_ADMIN (EPERM otherwise).
// Move-only; not for concurrent use.
class KCALL_API Monitor {
public:
    static Result<Monitor> open();
    Monitor(Monitor &&) noexcept;
    Monitor &operator=(Monitor &&) noexcept;
    ~Monitor();

    // The next event; waits at most timeout_ms (negative: forever), then
    // ETIMEDOUT. ENOBUFS when events were lost (this reader fell behind,
    // or the module could not send some; kcall(4)): the monitor stays
    // usable, the next call returns the events that came after the loss.
    Result<Event> next(int timeout_ms = -1);
    // The socket, for poll()/epoll: readable when next() has an event to
    // return without waiting (or an error to report). Owned by the monitor.
    int fd() const;

    struct Impl;

private:
    KCALL_LOCAL explicit Monitor(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// What one operation submitted through a Ring did.
struct RingCompletion {
    uint64_t tag = 0;    // what push() was given
    int error = 0;       // 0, or the errno
    int64_t result = 0;  // the result on success (0 for ops without one)
};

struct RingOptions {
    unsigned entries = 32;  // submission queue slots (io_uring rounds up to 2^n)
    bool sqpoll = false;    // a kernel thread takes submissions (IORING_SETUP_SQPOLL)
    bool async = false;     // every command runs in an io-wq worker (IOSQE_ASYNC)
};

// Asynchronous calls through io_uring on /dev/kcall (kcall(4),
// KCALL_URING_CALL): queue operations with push(), hand them all to the
// kernel with one submit(), take their completions, in any order, by tag.
// Carries what a batch carries (goodbye, showparams, retparam, retpid,
// taskcount, stats_reset); any other op completes with EOPNOTSUPP.
// Move-only; one thread at a time (io_uring's rule for a ring).
class KCALL_API Ring {
public:
    // EOPNOTSUPP "module too old for io_uring" from a module without it;
    // EPERM when io_uring is disabled (sysctl kernel.io_uring_disabled).
    static Result<Ring> open(const RingOptions &options = {});
    Ring(Ring &&) noexcept;
    Ring &operator=(Ring &&) noexcept;
    ~Ring();

    // Queues one operation; false when the submission queue is full
    // (submit() first) or op is not one this library can name.
    bool push(Op op, int32_t arg, uint64_t tag = 0);
    // Submits everything queued and waits until at least wait_for
    // completions are ready: how many were submitted.
    Result<unsigned> submit(unsigned wait_for = 0);
    // Moves ready completions into out[0..max) without waiting: how many.
    std::size_t reap(RingCompletion *out, std::size_t max);
    // The next completion: submits what is queued, then waits for one.
    Result<RingCompletion> next();
    // Operations submitted whose completions were not taken yet.
    unsigned in_flight() const;

    struct Impl;

private:
    KCALL_LOCAL explicit Ring(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// libkcall's version at run time ("0.3.0"); the headers' is
// KCALL_VERSION_STRING.
KCALL_API const char *library_version();

// Closes the default connections of the C API (the kcall_*
// functions without a handle); the next such call opens a new one. See
// kcall_release_default().
KCALL_API void release_default();

}  // namespace kcall
