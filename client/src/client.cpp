// SPDX-License-Identifier: MIT
// kcall::Client: picks a transport and turns backend results into typed
// results. Catches what the standard library may throw (bad_alloc), so
// nothing escapes the library.
#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <utility>

#include <kcall.h>  // the uapi

#include "backend.hpp"
#include "backends.hpp"
#include "fixed_text.hpp"
#include "op_table.hpp"

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
    return op_info(op).name;
}

uint32_t op_number(Op op)
{
    return op_info(op).number;
}

bool op_from_number(uint32_t number, Op *op)
{
    const OpInfo *info = op_info_by_number(number);
    if (!info)
        return false;
    *op = info->op;
    return true;
}

namespace {
constinit thread_local FixedText last_call_message{};
}  // namespace

void set_call_message(std::string_view message) noexcept
{
    last_call_message.set(message);
}

const char *call_message() noexcept
{
    return last_call_message.c_str();
}

void clear_call_message() noexcept
{
    last_call_message.clear();
}

Error take_call_error(int err)
{
    Error e{err, call_message()};
    clear_call_message();
    return e;
}

const char *library_version()
{
    return KCALL_VERSION_STRING;
}

std::string Error::what() const
{
    std::string s = std::strerror(code);
    if (!message.empty())
        s += ": " + message;
    return s;
}

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

Client::Client(std::unique_ptr<Backend> backend)
    : backend_(std::move(backend)), features_(std::make_unique<std::atomic<uint64_t>>(0))
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

// What a module of ABI 1, which cannot be asked, has.
constexpr uint64_t abi1_features =
    KCALL_FEATURE(KCALL_CMD_GOODBYE) | KCALL_FEATURE(KCALL_CMD_SHOWPARAMS) |
    KCALL_FEATURE(KCALL_CMD_RETPARAM) | KCALL_FEATURE(KCALL_CMD_RETPID) |
    KCALL_FEATURE(KCALL_CMD_TASKCOUNT);

bool is_unknown_op(const Error &e)
{
    return e.code == ENOTTY || e.code == EOPNOTSUPP;
}

Error too_old(Op op)
{
    return Error{EOPNOTSUPP, std::string("module too old for ") + to_string(op)};
}

// Runs fn() and turns std::bad_alloc into ENOMEM.
template <typename Fn>
auto guarded(Fn fn) -> decltype(fn())
{
    try {
        return fn();
    } catch (const std::bad_alloc &) {
        return Error{ENOMEM, {}};
    }
}

// A failed Backend::call(): out of line, so that the success path saves
// no registers for building an Error.
[[gnu::noinline, gnu::cold]] Error call_error(int err)
{
    try {
        return take_call_error(err);
    } catch (const std::bad_alloc &) {
        clear_call_message();
        return Error{err, {}};
    }
}

// A call's answer as the operation's Result.
template <typename T>
[[gnu::always_inline]] inline Result<T> to_result(const CallResult &r)
{
    if (r.err) [[unlikely]]
        return call_error(r.err);
    if constexpr (std::is_void_v<T>)
        return {};
    else
        return static_cast<T>(r.value);
}

// Any other backend's call.
template <typename T, Op O>
[[gnu::noinline]] Result<T> typed_other(Backend &backend, int32_t arg)
{
    CallResult r;
    try {
        r = backend.call(O, arg);
    } catch (const std::bad_alloc &) {
        return Error{ENOMEM, {}};
    }
    return to_result<T>(r);
}

// A simple operation: over ioctl the whole call in place (no indirect
// call, no frame but the Client method's), else the backend's call.
template <typename T, Op O>
[[gnu::always_inline]] inline Result<T> typed(Backend &backend, int32_t arg)
{
    IoctlDevice *device = backend.device();
    if (!device) [[unlikely]]
        return typed_other<T, O>(backend, arg);
    return to_result<T>(device->simple<static_cast<std::size_t>(O), true>(arg));
}

}  // namespace

Result<void> Client::goodbye()
{
    return typed<void, Op::goodbye>(*backend_, 0);
}
Result<void> Client::showparams(int32_t value)
{
    return typed<void, Op::showparams>(*backend_, value);
}
Result<int32_t> Client::retparam(int32_t value)
{
    return typed<int32_t, Op::retparam>(*backend_, value);
}
Result<int32_t> Client::retpid(int32_t which)
{
    return typed<int32_t, Op::retpid>(*backend_, which);
}
Result<uint64_t> Client::taskcount()
{
    return typed<uint64_t, Op::taskcount>(*backend_, 0);
}

Result<void> Client::require(Op op)
{
    uint64_t features = features_->load(std::memory_order_relaxed);
    if (features == 0) {
        auto v = backend_->version();
        if (v)
            features = v->features;
        else if (is_unknown_op(v.error()))
            features = abi1_features;
        else
            return v.error();
        features_->store(features, std::memory_order_relaxed);
    }
    if (!((features >> op_number(op)) & 1U))
        return too_old(op);
    return {};
}

Result<void> Client::message(std::string_view text)
{
    return guarded([&]() -> Result<void> {
        // A C string cannot carry it over ioctl, netlink refuses it: say so
        // the same way on both.
        if (text.find('\0') != std::string_view::npos)
            return Error{EINVAL, "text contains a NUL byte"};
        if (auto ok = require(Op::message); !ok)
            return ok.error();
        return backend_->message(text);
    });
}

Result<std::vector<OpStats>> Client::stats()
{
    return guarded([&]() -> Result<std::vector<OpStats>> {
        if (auto ok = require(Op::stats); !ok)
            return ok.error();
        return backend_->stats();
    });
}

Result<void> Client::stats_reset()
{
    if (auto ok = require(Op::stats_reset); !ok)
        return ok.error();
    return typed<void, Op::stats_reset>(*backend_, 0);
}

Result<std::vector<BatchOutcome>> Client::run(const Batch &batch, bool keep_going)
{
    return guarded([&]() -> Result<std::vector<BatchOutcome>> {
        uint64_t features = features_->load(std::memory_order_relaxed);
        if (features == 0) {
            auto v = version();
            if (!v && v.error().code != EOPNOTSUPP)
                return v.error();
            features = v ? v->features : 0;
        }
        if (!((features >> KCALL_CMD_BATCH) & 1U))
            return Error{EOPNOTSUPP, "module too old for batch"};
        const auto &ops = batch.ops();
        if (ops.empty())
            return std::vector<BatchOutcome>{};
        // The common case, one call: no piece to copy, no outcomes to move.
        if (ops.size() <= KCALL_BATCH_MAX)
            return backend_->batch(ops, keep_going);
        // The module takes KCALL_BATCH_MAX records a call: larger batches
        // go in pieces, stopping where a piece stopped. A piece after the
        // first that fails as a whole (ETIMEDOUT, ENOBUFS, ENOMEM) ends the
        // batch: the pieces before it ran and are reported, and its first
        // record carries the errno (it may or may not have run).
        std::vector<BatchOutcome> out;
        for (std::size_t at = 0; at < ops.size();) {
            const std::size_t n = std::min<std::size_t>(ops.size() - at, KCALL_BATCH_MAX);
            const std::vector<BatchOp> piece(ops.begin() + static_cast<std::ptrdiff_t>(at),
                                             ops.begin() + static_cast<std::ptrdiff_t>(at + n));
            auto r = backend_->batch(piece, keep_going);
            if (!r && at == 0)
                return r.error();
            if (!r) {
                out.push_back({piece.front().op, r.error().code, 0});
                break;
            }
            out.insert(out.end(), r->begin(), r->end());
            if (r->size() < n || (!keep_going && !r->empty() && r->back().error))
                break;
            at += n;
        }
        return out;
    });
}

Result<ModuleVersion> Client::version()
{
    return guarded([&]() -> Result<ModuleVersion> {
        auto v = backend_->version();
        if (!v && is_unknown_op(v.error()))
            return too_old(Op::version);
        if (v)
            features_->store(v->features, std::memory_order_relaxed);
        return v;
    });
}

}  // namespace kcall
