// SPDX-License-Identifier: GPL-2.0-only
// libkcall as transports for the shared expectation table: the C++ API
// (kcall::Client) and the C API (kcall_h_*), each over ioctl and netlink.
#include <cerrno>
#include <stdexcept>
#include <vector>

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
            case Op::stats_reset:
                return outcome(client_.stats_reset());
            case Op::message:
            case Op::stats:
            case Op::version:
                break;
        }
        return {EINVAL, 0, "not an int operation"};
    }

    Outcome message(const std::string &text) override { return outcome(client_.message(text)); }

    StatsOutcome stats() override
    {
        auto r = client_.stats();
        if (!r)
            return {r.error().code, r.error().message, {}};
        return {0, {}, *r};
    }

    VersionOutcome version() override
    {
        auto r = client_.version();
        if (!r)
            return {r.error().code, 0, 0};
        return {0, r->abi_version, r->features};
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
        if constexpr (std::is_void_v<T>)
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
            case Op::stats_reset:
                v = kcall_h_stats_reset(h_);
                break;
            case Op::message:
            case Op::stats:
            case Op::version:
                return {EINVAL, 0, "not an int operation"};
        }
        if (v == -1)
            return {errno, 0, kcall_strerror_ext()};
        return {0, v, {}};
    }

    Outcome message(const std::string &text) override
    {
        errno = 0;
        if (kcall_h_message(h_, text.c_str()) == -1)
            return {errno, 0, kcall_strerror_ext()};
        return {};
    }

    StatsOutcome stats() override
    {
        std::vector<kcall_stat> raw(64);
        errno = 0;
        const int n = kcall_h_stats(h_, raw.data(), static_cast<unsigned int>(raw.size()));
        if (n < 0)
            return {errno, kcall_strerror_ext(), {}};
        StatsOutcome out;
        for (int i = 0; i < n && i < static_cast<int>(raw.size()); i++)
            out.entries.push_back({raw[i].op, raw[i].calls, raw[i].failures});
        return out;
    }

    VersionOutcome version() override
    {
        VersionOutcome out;
        errno = 0;
        if (kcall_h_version(h_, &out.abi_version, &out.features) == -1)
            out.err = errno;
        return out;
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
