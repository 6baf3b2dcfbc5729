// SPDX-License-Identifier: GPL-2.0-only
// libkcall as transports for the shared expectation table: the C++ API
// (kcall::Client) and the C API (kcall_h_*), each over ioctl and netlink.
#include <cerrno>
#include <stdexcept>

#include "kcall/kcall.h"
#include "kcall/kcall.hpp"
#include "transport.h"

namespace kcall_test {

namespace {

class CppLibraryTransport final : public Transport {
public:
    explicit CppLibraryTransport(kcall::Transport t) : client_(open(t)) {}

    std::string name() const override
    {
        return std::string("cpp_") + kcall::to_string(client_.transport());
    }
    bool explains_errors() const override
    {
        return client_.transport() == kcall::Transport::netlink;
    }

    Outcome call(Op op, int32_t arg) override
    {
        switch (op) {
            case Op::goodbye:
                return outcome(client_.goodbye());
            case Op::showparams:
                return outcome(client_.showparams(arg));
            case Op::retparam:
                return outcome(client_.retparam(arg));
            case Op::retpid:
                return outcome(client_.retpid(arg));
            case Op::taskcount:
                return outcome(client_.taskcount());
        }
        return {EINVAL, 0, "unknown op"};
    }

private:
    static kcall::Client open(kcall::Transport t)
    {
        auto c = kcall::Client::open(t);
        if (!c)
            throw std::runtime_error("kcall::Client::open: " + c.error().what());
        return std::move(*c);
    }

    template <typename T>
    static Outcome outcome(const kcall::Result<T> &r)
    {
        if (!r)
            return {r.error().code, 0, r.error().message};
        if constexpr (std::is_same_v<T, kcall::Ok>)
            return {};
        else
            return {0, static_cast<int64_t>(*r), {}};
    }

    kcall::Client client_;
};

class CLibraryTransport final : public Transport {
public:
    explicit CLibraryTransport(kcall_transport t) : h_(kcall_open(t))
    {
        if (!h_)
            throw std::runtime_error("kcall_open failed");
    }
    ~CLibraryTransport() override { kcall_close(h_); }
    CLibraryTransport(const CLibraryTransport &) = delete;
    CLibraryTransport &operator=(const CLibraryTransport &) = delete;

    std::string name() const override
    {
        return kcall_handle_transport(h_) == KCALL_TRANSPORT_NETLINK ? "c_netlink" : "c_ioctl";
    }
    bool explains_errors() const override
    {
        return kcall_handle_transport(h_) == KCALL_TRANSPORT_NETLINK;
    }

    Outcome call(Op op, int32_t arg) override
    {
        errno = 0;
        int64_t v = -1;
        switch (op) {
            case Op::goodbye:
                v = kcall_h_goodbye(h_);
                break;
            case Op::showparams:
                v = kcall_h_showparams(h_, arg);
                break;
            case Op::retparam:
                v = kcall_h_retparam(h_, arg);
                break;
            case Op::retpid:
                v = kcall_h_retpid(h_, arg);
                break;
            case Op::taskcount:
                v = kcall_h_taskcount(h_);
                break;
        }
        if (v == -1)
            return {errno, 0, kcall_strerror_ext()};
        return {0, v, {}};
    }

private:
    kcall_handle *h_;
};

}  // namespace

std::unique_ptr<Transport> make_cpp_ioctl_transport()
{
    return std::make_unique<CppLibraryTransport>(kcall::Transport::ioctl);
}
std::unique_ptr<Transport> make_cpp_netlink_transport()
{
    return std::make_unique<CppLibraryTransport>(kcall::Transport::netlink);
}
std::unique_ptr<Transport> make_c_ioctl_transport()
{
    return std::make_unique<CLibraryTransport>(KCALL_TRANSPORT_IOCTL);
}
std::unique_ptr<Transport> make_c_netlink_transport()
{
    return std::make_unique<CLibraryTransport>(KCALL_TRANSPORT_NETLINK);
}

}  // namespace kcall_test
