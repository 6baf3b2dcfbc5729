// SPDX-License-Identifier: MIT
// libkcall C++ API: RAII clients per transport, value-or-error results.
// Nothing here throws across the library boundary: every failure comes
// back as an Error carrying the errno and the kernel's explanation.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "kcall/kcall.h"

namespace kcall {

enum class Transport { automatic = 0, ioctl = 1, netlink = 2 };

const char *to_string(Transport t);

// kcall's operations, in the uapi's order (operation number = index + 1).
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
const char *to_string(Op op);
// The uapi operation number (enum kcall_cmd) of op, and back; nullptr /
// false for a number this library does not know.
uint32_t op_number(Op op);
bool op_from_number(uint32_t number, Op *op);

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
struct Error {
    int code = 0;
    std::string message;

    // "strerror(code)[: message]"
    std::string what() const;
};

// A value or an Error; the subset of std::expected (C++23) we need.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
    Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool has_value() const { return v_.index() == 0; }
    explicit operator bool() const { return has_value(); }
    const T &value() const & { return std::get<0>(v_); }
    T &value() & { return std::get<0>(v_); }
    T &&value() && { return std::get<0>(std::move(v_)); }
    const T &operator*() const & { return value(); }
    T &operator*() & { return value(); }
    T &&operator*() && { return std::move(*this).value(); }
    const T *operator->() const { return &value(); }
    T *operator->() { return &value(); }
    const Error &error() const { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

// Operations without a result value succeed with Ok.
struct Ok {};

class Backend;

// One connection to the module. Move-only; closes on destruction.
// Safe to use from several threads at once.
class Client {
public:
    // Opens the transport (automatic: KCALL_TRANSPORT env, else ioctl,
    // else netlink). ENOENT when the module is not there.
    static Result<Client> open(Transport transport = Transport::automatic);
    // For tests and other transports: a client over any backend.
    explicit Client(std::unique_ptr<Backend> backend);

    Client(Client &&) noexcept;
    Client &operator=(Client &&) noexcept;
    ~Client();

    Transport transport() const;

    Result<Ok> goodbye();
    Result<Ok> showparams(int32_t value);
    Result<int32_t> retparam(int32_t value);
    Result<int32_t> retpid(int32_t which);
    Result<uint64_t> taskcount();
    // A text of at most 255 bytes, without NUL bytes, logged by the kernel.
    Result<Ok> message(std::string_view text);
    // Counters of every operation the module has.
    Result<std::vector<OpStats>> stats();
    // Zeroes the counters; EPERM without CAP_SYS_ADMIN.
    Result<Ok> stats_reset();
    // ABI version and features; EOPNOTSUPP "module too old for version"
    // from a module of ABI 1.
    Result<ModuleVersion> version();

private:
    // EOPNOTSUPP "module too old for <op>" when the module lacks op. The
    // module is asked once per client.
    Result<Ok> require(Op op);

    std::unique_ptr<Backend> backend_;
    // The module's features, 0 until asked; atomic as calls may race.
    std::unique_ptr<std::atomic<uint64_t>> features_;
};

// A subscription to the module's "events" multicast group (generic
// netlink): one Event per call of any operation, from either transport,
// made in the initial network namespace (nothing arrives in another one).
// Needs CAP_SYS_ADMIN (EPERM otherwise).
// Move-only; not for concurrent use.
class Monitor {
public:
    static Result<Monitor> open();
    Monitor(Monitor &&) noexcept;
    Monitor &operator=(Monitor &&) noexcept;
    ~Monitor();

    // The next event; waits at most timeout_ms (negative: forever), then
    // ETIMEDOUT. ENOBUFS when the kernel dropped events because this
    // reader fell behind.
    Result<Event> next(int timeout_ms = -1);

    struct Impl;

private:
    explicit Monitor(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace kcall
