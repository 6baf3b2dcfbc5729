// SPDX-License-Identifier: MIT
// The C API: syscall-style wrappers over kcall::Client.
#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
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

struct kcall_monitor {
    kcall::Monitor monitor;
};

namespace {

thread_local std::string last_message;

// The default connection. Opened once under the mutex, then published
// through an atomic pointer: calls after the first take no lock and touch
// no shared reference count (both would make threads contend on one cache
// line). It is never destroyed, only closed by kcall_release_default(): a
// thread still calling while the process exits (static destructors run)
// must find it intact. Fork needs nothing here: the netlink backend opens
// a socket of its own in the child; the mutex is held across fork() so
// that a child never inherits it locked.
std::mutex default_mutex;
std::atomic<kcall::Client *> default_client{nullptr};

void lock_default()
{
    default_mutex.lock();
}
void unlock_default()
{
    default_mutex.unlock();
}
[[maybe_unused]] const bool fork_handlers =
    pthread_atfork(lock_default, unlock_default, unlock_default) == 0;

// A failed open is retried by the next call (the module may have been
// loaded meanwhile).
kcall::Result<kcall::Client *> get_default()
{
    if (kcall::Client *c = default_client.load(std::memory_order_acquire))
        return c;
    std::lock_guard<std::mutex> lock(default_mutex);
    if (kcall::Client *c = default_client.load(std::memory_order_relaxed))
        return c;
    auto c = kcall::Client::open(kcall::Transport::automatic);
    if (!c)
        return c.error();
    auto *client = new kcall::Client(std::move(*c));
    default_client.store(client, std::memory_order_release);
    return client;
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
    if constexpr (std::is_void_v<T>)
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

// A C handle around what open() returns: NULL with errno on failure.
template <typename Open, typename Wrap>
auto open_handle(Open open, Wrap wrap) -> decltype(wrap(std::move(*open())))
{
    try {
        auto r = open();
        if (!r) {
            fail(r.error());
            return nullptr;
        }
        auto *h = wrap(std::move(*r));
        if (!h)
            fail({ENOMEM, {}});
        return h;
    } catch (const std::bad_alloc &) {
        fail({ENOMEM, {}});
        return nullptr;
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
    delete default_client.exchange(client.release(), std::memory_order_acq_rel);
}

kcall_handle *wrap(Client client)
{
    return new (std::nothrow) kcall_handle{std::move(client)};
}

}  // namespace kcall::internal

namespace {

// Copies stats into the caller's array; returns how many the module has.
kcall::Result<int64_t> copy_stats(const kcall::Result<std::vector<kcall::OpStats>> &r,
                                  struct kcall_stat *entries, unsigned int n)
{
    if (!r)
        return r.error();
    if (n && !entries)
        return kcall::Error{EFAULT, "NULL stats array"};
    const size_t k = std::min<size_t>(n, r->size());
    for (size_t i = 0; i < k; i++)
        entries[i] = {(*r)[i].op, (*r)[i].calls, (*r)[i].failures};
    return static_cast<int64_t>(r->size());
}

kcall::Result<void> copy_version(const kcall::Result<kcall::ModuleVersion> &r,
                                 uint32_t *abi_version, uint64_t *features)
{
    if (!r)
        return r.error();
    if (abi_version)
        *abi_version = r->abi_version;
    if (features)
        *features = r->features;
    return {};
}

}  // namespace

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
    return open_handle(
        [transport] { return kcall::Client::open(static_cast<kcall::Transport>(transport)); },
        [](kcall::Client c) { return kcall::internal::wrap(std::move(c)); });
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

int kcall_message(const char *text)
{
    if (!text)
        return static_cast<int>(fail({EFAULT, "NULL text"}));
    return static_cast<int>(with_default([text](kcall::Client &c) { return c.message(text); }));
}

int kcall_h_message(kcall_handle *h, const char *text)
{
    if (!text)
        return static_cast<int>(fail({EFAULT, "NULL text"}));
    return static_cast<int>(with_handle(h, [text](kcall::Client &c) { return c.message(text); }));
}

int kcall_stats(struct kcall_stat *entries, unsigned int n)
{
    return static_cast<int>(
        with_default([=](kcall::Client &c) { return copy_stats(c.stats(), entries, n); }));
}

int kcall_h_stats(kcall_handle *h, struct kcall_stat *entries, unsigned int n)
{
    return static_cast<int>(
        with_handle(h, [=](kcall::Client &c) { return copy_stats(c.stats(), entries, n); }));
}

int kcall_stats_reset(void)
{
    return static_cast<int>(with_default([](kcall::Client &c) { return c.stats_reset(); }));
}

int kcall_h_stats_reset(kcall_handle *h)
{
    return static_cast<int>(with_handle(h, [](kcall::Client &c) { return c.stats_reset(); }));
}

int kcall_version(uint32_t *abi_version, uint64_t *features)
{
    return static_cast<int>(with_default(
        [=](kcall::Client &c) { return copy_version(c.version(), abi_version, features); }));
}

int kcall_h_version(kcall_handle *h, uint32_t *abi_version, uint64_t *features)
{
    return static_cast<int>(with_handle(
        h, [=](kcall::Client &c) { return copy_version(c.version(), abi_version, features); }));
}

const char *kcall_op_name(uint32_t op)
{
    kcall::Op o{};
    return kcall::op_from_number(op, &o) ? kcall::to_string(o) : nullptr;
}

kcall_monitor *kcall_monitor_open(void)
{
    return open_handle(
        [] { return kcall::Monitor::open(); },
        [](kcall::Monitor m) { return new (std::nothrow) kcall_monitor{std::move(m)}; });
}

int kcall_monitor_next(kcall_monitor *m, struct kcall_event *ev, int timeout_ms)
{
    if (!m || !ev)
        return static_cast<int>(fail({EINVAL, "NULL monitor or event"}));
    try {
        auto r = m->monitor.next(timeout_ms);
        if (!r)
            return static_cast<int>(fail(r.error()));
        *ev = {};
        ev->op = r->op;
        ev->transport = static_cast<enum kcall_transport>(r->transport);
        ev->pid = r->pid;
        std::strncpy(ev->comm, r->comm.c_str(), sizeof(ev->comm) - 1);
        ev->arg = r->arg;
        ev->error = r->error;
        ev->result = r->result;
        last_message.clear();
        return 0;
    } catch (const std::bad_alloc &) {
        return static_cast<int>(fail({ENOMEM, {}}));
    }
}

int kcall_monitor_fd(const kcall_monitor *m)
{
    if (!m)
        return static_cast<int>(fail({EINVAL, "NULL monitor"}));
    return m->monitor.fd();
}

void kcall_monitor_close(kcall_monitor *m)
{
    delete m;
}

const char *kcall_strerror_ext(void)
{
    return last_message.c_str();
}

void kcall_release_default(void)
{
    kcall::internal::set_default_client(nullptr);
}

unsigned int kcall_lib_version_major(void)
{
    return KCALL_VERSION_MAJOR;
}

unsigned int kcall_lib_version_minor(void)
{
    return KCALL_VERSION_MINOR;
}

const char *kcall_lib_version_string(void)
{
    return KCALL_VERSION_STRING;
}

}  // extern "C"

namespace kcall {

void release_default()
{
    kcall_release_default();
}

}  // namespace kcall
