// SPDX-License-Identifier: MIT
// libkcall C++ API: RAII clients per transport, value-or-error results.
// Nothing here throws across the library boundary: every failure comes
// back as an Error carrying the errno and the kernel's explanation.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>

#include "kcall/kcall.h"

namespace kcall {

enum class Transport { automatic = 0, ioctl = 1, netlink = 2 };

const char *to_string(Transport t);

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

private:
    std::unique_ptr<Backend> backend_;
};

}  // namespace kcall
