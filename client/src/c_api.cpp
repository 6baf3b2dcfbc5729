// SPDX-License-Identifier: MIT
// The C API: syscall-style wrappers over kcall::Client.
#include <cerrno>
#include <memory>
#include <mutex>
#include <new>
#include <string>

#include "c_api_internal.hpp"
#include "kcall/kcall.h"
#include "kcall/kcall.hpp"

struct kcall_handle {
    kcall::Client client;
};

namespace {

thread_local std::string last_message;

std::mutex default_mutex;
std::shared_ptr<kcall::Client> default_client;

// The default connection, opened on first use; a failed open is retried
// by the next call (the module may have been loaded meanwhile).
kcall::Result<std::shared_ptr<kcall::Client>> get_default()
{
    std::lock_guard<std::mutex> lock(default_mutex);
    if (!default_client) {
        auto c = kcall::Client::open(kcall::Transport::automatic);
        if (!c)
            return c.error();
        default_client = std::make_shared<kcall::Client>(std::move(*c));
    }
    return default_client;
}

int64_t fail(const kcall::Error &e)
{
    last_message = e.message;
    errno = e.code;
    return -1;
}

template <typename T>
int64_t finish(const kcall::Result<T> &r)
{
    if (!r)
        return fail(r.error());
    last_message.clear();
    if constexpr (std::is_same_v<T, kcall::Ok>)
        return 0;
    else
        return static_cast<int64_t>(*r);
}

// Runs fn(client) on the default connection.
template <typename Fn>
int64_t with_default(Fn fn)
{
    try {
        auto c = get_default();
        if (!c)
            return fail(c.error());
        return finish(fn(**c));
    } catch (const std::bad_alloc &) {
        return fail({ENOMEM, {}});
    }
}

template <typename Fn>
int64_t with_handle(kcall_handle *h, Fn fn)
{
    if (!h)
        return fail({EINVAL, "NULL kcall handle"});
    try {
        return finish(fn(h->client));
    } catch (const std::bad_alloc &) {
        return fail({ENOMEM, {}});
    }
}

}  // namespace

namespace kcall::internal {

void set_default_client(std::unique_ptr<Client> client)
{
    std::lock_guard<std::mutex> lock(default_mutex);
    default_client = std::shared_ptr<Client>(std::move(client));
}

kcall_handle *wrap(Client client)
{
    return new (std::nothrow) kcall_handle{std::move(client)};
}

}  // namespace kcall::internal

extern "C" {

int kcall_goodbye(void)
{
    return static_cast<int>(with_default([](kcall::Client &c) { return c.goodbye(); }));
}

int kcall_showparams(int value)
{
    return static_cast<int>(
        with_default([value](kcall::Client &c) { return c.showparams(value); }));
}

int kcall_retparam(int value)
{
    return static_cast<int>(with_default([value](kcall::Client &c) { return c.retparam(value); }));
}

int kcall_retpid(int which)
{
    return static_cast<int>(with_default([which](kcall::Client &c) { return c.retpid(which); }));
}

int64_t kcall_taskcount(void)
{
    return with_default([](kcall::Client &c) { return c.taskcount(); });
}

kcall_handle *kcall_open(enum kcall_transport transport)
{
    try {
        auto c = kcall::Client::open(static_cast<kcall::Transport>(transport));
        if (!c) {
            fail(c.error());
            return nullptr;
        }
        kcall_handle *h = kcall::internal::wrap(std::move(*c));
        if (!h)
            fail({ENOMEM, {}});
        return h;
    } catch (const std::bad_alloc &) {
        fail({ENOMEM, {}});
        return nullptr;
    }
}

void kcall_close(kcall_handle *handle)
{
    delete handle;
}

enum kcall_transport kcall_handle_transport(const kcall_handle *handle)
{
    return static_cast<enum kcall_transport>(handle->client.transport());
}

int kcall_h_goodbye(kcall_handle *h)
{
    return static_cast<int>(with_handle(h, [](kcall::Client &c) { return c.goodbye(); }));
}

int kcall_h_showparams(kcall_handle *h, int value)
{
    return static_cast<int>(
        with_handle(h, [value](kcall::Client &c) { return c.showparams(value); }));
}

int kcall_h_retparam(kcall_handle *h, int value)
{
    return static_cast<int>(
        with_handle(h, [value](kcall::Client &c) { return c.retparam(value); }));
}

int kcall_h_retpid(kcall_handle *h, int which)
{
    return static_cast<int>(with_handle(h, [which](kcall::Client &c) { return c.retpid(which); }));
}

int64_t kcall_h_taskcount(kcall_handle *h)
{
    return with_handle(h, [](kcall::Client &c) { return c.taskcount(); });
}

const char *kcall_strerror_ext(void)
{
    return last_message.c_str();
}

}  // extern "C"
