// SPDX-License-Identifier: MIT
// kcall::Client: picks a transport and turns backend results into typed
// results. Catches what the standard library may throw (bad_alloc), so
// nothing escapes the library.
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>

#include "backends.hpp"
#include "kcall/backend.hpp"

namespace kcall {

const char *to_string(Transport t)
{
    switch (t) {
        case Transport::automatic:
            return "automatic";
        case Transport::ioctl:
            return "ioctl";
        case Transport::netlink:
            return "netlink";
    }
    return "?";
}

const char *to_string(Op op)
{
    switch (op) {
        case Op::goodbye:
            return "goodbye";
        case Op::showparams:
            return "showparams";
        case Op::retparam:
            return "retparam";
        case Op::retpid:
            return "retpid";
        case Op::taskcount:
            return "taskcount";
    }
    return "?";
}

std::string Error::what() const
{
    std::string s = std::strerror(code);
    if (!message.empty())
        s += ": " + message;
    return s;
}

namespace {

Result<std::unique_ptr<Backend>> open_backend(Transport transport)
{
    switch (transport) {
        case Transport::ioctl:
            return open_ioctl_backend();
        case Transport::netlink:
            return open_netlink_backend();
        case Transport::automatic:
            break;
    }
    if (const char *env = std::getenv("KCALL_TRANSPORT"); env && *env) {
        if (std::strcmp(env, "ioctl") == 0)
            return open_ioctl_backend();
        if (std::strcmp(env, "netlink") == 0)
            return open_netlink_backend();
        return Error{EINVAL, "KCALL_TRANSPORT must be ioctl or netlink"};
    }
    auto ioctl = open_ioctl_backend();
    if (ioctl)
        return ioctl;
    return open_netlink_backend();
}

}  // namespace

Result<Client> Client::open(Transport transport)
{
    try {
        auto backend = open_backend(transport);
        if (!backend)
            return backend.error();
        return Client(std::move(*backend));
    } catch (const std::bad_alloc &) {
        return Error{ENOMEM, {}};
    }
}

Client::Client(std::unique_ptr<Backend> backend) : backend_(std::move(backend))
{
}
Client::Client(Client &&) noexcept = default;
Client &Client::operator=(Client &&) noexcept = default;
Client::~Client() = default;

Transport Client::transport() const
{
    return backend_->transport();
}

namespace {

template <typename T>
Result<T> typed(Backend &backend, Op op, int32_t arg)
{
    try {
        auto r = backend.call(op, arg);
        if (!r)
            return r.error();
        if constexpr (std::is_same_v<T, Ok>)
            return Ok{};
        else
            return static_cast<T>(*r);
    } catch (const std::bad_alloc &) {
        return Error{ENOMEM, {}};
    }
}

}  // namespace

Result<Ok> Client::goodbye()
{
    return typed<Ok>(*backend_, Op::goodbye, 0);
}
Result<Ok> Client::showparams(int32_t value)
{
    return typed<Ok>(*backend_, Op::showparams, value);
}
Result<int32_t> Client::retparam(int32_t value)
{
    return typed<int32_t>(*backend_, Op::retparam, value);
}
Result<int32_t> Client::retpid(int32_t which)
{
    return typed<int32_t>(*backend_, Op::retpid, which);
}
Result<uint64_t> Client::taskcount()
{
    return typed<uint64_t>(*backend_, Op::taskcount, 0);
}

}  // namespace kcall
