// SPDX-License-Identifier: MIT
// The C API: syscall-style wrappers over kcall::Client.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <new>
#include <string_view>
#include <type_traits>
#include <vector>

#include "backend.hpp"
#include "c_api_internal.hpp"
#include "default_conn.hpp"
#include "fixed_text.hpp"
#include "kcall/kcall.h"
#include "kcall/kcall.hpp"

struct kcall_handle {
    kcall::Client client;
};

struct kcall_monitor {
    kcall::Monitor monitor;
};

struct kcall_ring {
    kcall::Ring ring;
};

namespace {

namespace dc = kcall::default_conn;

// The calling thread's message for kcall_strerror_ext(): no destructor, so
// that key destructors and atexit handlers can still fail and read it.
constinit thread_local kcall::FixedText last_message{};

int64_t fail(int code, std::string_view text) noexcept
{
    last_message.set(text);
    errno = code;
    return -1;
}

int64_t fail(const kcall::Error &e) noexcept
{
    return fail(e.code, e.message);
}

[[gnu::noinline, gnu::cold]] int64_t call_failed(int err) noexcept
{
    last_message.set(kcall::call_message());
    kcall::clear_call_message();
    errno = err;
    return -1;
}

// A success leaves no message behind (kcall_strerror_ext() says "").
template <typename T>
int64_t finish(const kcall::Result<T> &r) noexcept
{
    if (!r)
        return fail(r.error());
    last_message.clear();
    if constexpr (std::is_void_v<T>)
        return 0;
    else
        return static_cast<int64_t>(*r);
}

// The wrappers below catch std::bad_alloc alone and are not noexcept: a
// call waiting in the kernel is a cancellation point, and pthread_cancel()
// unwinds through them (abi::__forced_unwind), which a noexcept function
// or a catch (...) would turn into std::terminate().

// Runs fn(client) on the calling thread's default connection.
template <typename Fn>
int64_t with_default(Fn fn)
{
    auto slot = dc::open();
    if (!slot)
        return fail(slot.error());
    try {
        return finish(fn(*(*slot)->client));
    } catch (const std::bad_alloc &) {
        return fail(ENOMEM, {});
    }
}

// An operation of one int argument and result on the default connection:
// straight to its backend, no Result built on success (every call of a
// syscall-style program goes this way).
template <kcall::Op O>
[[gnu::always_inline]] inline int64_t simple_call(int32_t arg);

template <kcall::Op O>
[[gnu::noinline, gnu::cold]] int64_t simple_call_opening(int32_t arg)
{
    auto slot = dc::open();
    if (!slot)
        return fail(slot.error());
    return simple_call<O>(arg);
}

template <kcall::Op O>
[[gnu::always_inline]] inline int64_t simple_call(int32_t arg)
{
    dc::Slot *slot = dc::current();
    if (!slot || !slot->backend) [[unlikely]]
        return simple_call_opening<O>(arg);
    kcall::CallResult r;
    try {
        r = slot->backend->call<O>(arg);
    } catch (const std::bad_alloc &) {
        r.err = ENOMEM;
    }
    if (r.err) [[unlikely]]
        return call_failed(r.err);
    last_message.clear();
    return r.value;
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
            fail(ENOMEM, {});
        return h;
    } catch (const std::bad_alloc &) {
        fail(ENOMEM, {});
        return nullptr;
    }
}

template <typename Fn>
int64_t with_handle(kcall_handle *h, Fn fn)
{
    if (!h)
        return fail(EINVAL, "NULL kcall handle");
    try {
        return finish(fn(h->client));
    } catch (const std::bad_alloc &) {
        return fail(ENOMEM, {});
    }
}

}  // namespace

namespace kcall::internal {

void set_default_backend(std::unique_ptr<Backend> backend)
{
    Backend *raw = backend.get();
    default_conn::release(backend ? std::make_unique<Client>(std::move(backend)) : nullptr, raw);
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

// Runs calls[first..) up to the next record of a number this library
// cannot name: how many records have an outcome now, or an Error when the
// batch's first kernel entry fails (*entered false: none was made yet,
// whatever first is, as records of unknown numbers before it enter no
// kernel). *stop: the batch ends here.
kcall::Result<unsigned int> run_known(kcall::Client &c, struct kcall_batch_call *calls,
                                      unsigned int first, unsigned int n, bool keep_going,
                                      bool *entered, bool *stop)
{
    kcall::Batch batch;
    kcall::Op op{};
    for (unsigned int i = first; i < n && kcall::op_from_number(calls[i].op, &op); i++)
        batch.add(op, calls[i].arg);
    if (batch.empty())
        return first;
    auto r = c.run(batch, keep_going);
    if (!r && !*entered)
        return r.error();
    *entered = true;
    if (!r) {
        // A later kernel entry failed as a whole: what ran before it
        // stands, and its first record carries the errno (Client::run()).
        calls[first].error = r.error().code;
        calls[first].result = 0;
        *stop = true;
        return first + 1;
    }
    for (std::size_t i = 0; i < r->size(); i++) {
        calls[first + i].error = (*r)[i].error;
        calls[first + i].result = (*r)[i].result;
    }
    *stop = r->size() < batch.size() || (!keep_going && !r->empty() && r->back().error);
    return first + static_cast<unsigned int>(r->size());
}

// Runs calls[0..n) on c: how many ran. A number this library cannot name
// fails its record with EOPNOTSUPP without running, as the module does
// with a number it does not know; the records around it run as batches.
kcall::Result<int64_t> run_batch(kcall::Client &c, struct kcall_batch_call *calls, unsigned int n,
                                 unsigned int flags)
{
    if (flags & ~KCALL_BATCH_KEEP_GOING)
        return kcall::Error{EINVAL, "unknown batch flags"};
    if (n && !calls)
        return kcall::Error{EFAULT, "NULL batch"};
    const bool keep_going = (flags & KCALL_BATCH_KEEP_GOING) != 0;
    unsigned int done = 0;
    bool entered = false;
    bool stop = false;
    while (done < n && !stop) {
        auto ran = run_known(c, calls, done, n, keep_going, &entered, &stop);
        if (!ran)
            return ran.error();
        done = *ran;
        if (done < n && !stop) {
            // The record after the known ones: a number nobody can run.
            calls[done].error = EOPNOTSUPP;
            calls[done].result = 0;
            done++;
            stop = !keep_going;
        }
    }
    return static_cast<int64_t>(done);
}

}  // namespace

extern "C" {

int kcall_goodbye(void)
{
    return static_cast<int>(simple_call<kcall::Op::goodbye>(0));
}

int kcall_showparams(int value)
{
    return static_cast<int>(simple_call<kcall::Op::showparams>(value));
}

int kcall_retparam(int value)
{
    return static_cast<int>(simple_call<kcall::Op::retparam>(value));
}

int kcall_retpid(int which)
{
    return static_cast<int>(simple_call<kcall::Op::retpid>(which));
}

int64_t kcall_taskcount(void)
{
    return simple_call<kcall::Op::taskcount>(0);
}

kcall_handle *kcall_open(enum kcall_transport transport)
{
    if (transport != KCALL_TRANSPORT_DEFAULT && transport != KCALL_TRANSPORT_IOCTL &&
        transport != KCALL_TRANSPORT_NETLINK) {
        fail(EINVAL, "no such transport");
        return nullptr;
    }
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
    if (!handle) {
        fail(EINVAL, "NULL kcall handle");
        return KCALL_TRANSPORT_DEFAULT;
    }
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
        return static_cast<int>(fail(EFAULT, "NULL text"));
    return static_cast<int>(with_default([text](kcall::Client &c) { return c.message(text); }));
}

int kcall_h_message(kcall_handle *h, const char *text)
{
    if (!text)
        return static_cast<int>(fail(EFAULT, "NULL text"));
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

int kcall_batch(struct kcall_batch_call *calls, unsigned int n, unsigned int flags)
{
    return static_cast<int>(
        with_default([=](kcall::Client &c) { return run_batch(c, calls, n, flags); }));
}

int kcall_h_batch(kcall_handle *h, struct kcall_batch_call *calls, unsigned int n,
                  unsigned int flags)
{
    return static_cast<int>(
        with_handle(h, [=](kcall::Client &c) { return run_batch(c, calls, n, flags); }));
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
        return static_cast<int>(fail(EINVAL, "NULL monitor or event"));
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
        return static_cast<int>(fail(ENOMEM, {}));
    }
}

int kcall_monitor_fd(const kcall_monitor *m)
{
    if (!m)
        return static_cast<int>(fail(EINVAL, "NULL monitor"));
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
    dc::release();
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

kcall_ring *kcall_ring_open(unsigned int entries, unsigned int flags)
{
    if (flags & ~(KCALL_RING_SQPOLL | KCALL_RING_ASYNC)) {
        fail(EINVAL, "unknown ring flags");
        return nullptr;
    }
    kcall::RingOptions o;
    o.entries = entries;
    o.sqpoll = (flags & KCALL_RING_SQPOLL) != 0;
    o.async = (flags & KCALL_RING_ASYNC) != 0;
    return open_handle([&] { return kcall::Ring::open(o); },
                       [](kcall::Ring r) { return new (std::nothrow) kcall_ring{std::move(r)}; });
}

int kcall_ring_push(kcall_ring *r, uint32_t op, int32_t arg, uint64_t tag)
{
    kcall::Op o{};
    if (!r)
        return static_cast<int>(fail(EINVAL, "NULL ring"));
    if (!kcall::op_from_number(op, &o))
        return static_cast<int>(fail(EINVAL, "no such operation"));
    if (!r->ring.push(o, arg, tag))
        return static_cast<int>(fail(EBUSY, "submission queue full"));
    return 0;
}

int kcall_ring_submit(kcall_ring *r, unsigned int wait_for)
{
    if (!r)
        return static_cast<int>(fail(EINVAL, "NULL ring"));
    try {
        return static_cast<int>(finish(r->ring.submit(wait_for)));
    } catch (const std::bad_alloc &) {
        return static_cast<int>(fail(ENOMEM, {}));
    }
}

int kcall_ring_reap(kcall_ring *r, struct kcall_ring_completion *out, unsigned int max)
{
    if (!r || (max && !out))
        return static_cast<int>(fail(EINVAL, "NULL ring or completions"));
    kcall::RingCompletion c[16];
    unsigned int n = 0;
    while (n < max) {
        const std::size_t k = r->ring.reap(c, std::min<std::size_t>(max - n, std::size(c)));
        for (std::size_t i = 0; i < k; i++)
            out[n++] = {c[i].tag, c[i].error, c[i].result};
        if (k < std::size(c))
            break;
    }
    return static_cast<int>(n);
}

int kcall_ring_next(kcall_ring *r, struct kcall_ring_completion *out)
{
    if (!r || !out)
        return static_cast<int>(fail(EINVAL, "NULL ring or completion"));
    try {
        auto c = r->ring.next();
        if (!c)
            return static_cast<int>(fail(c.error()));
        *out = {c->tag, c->error, c->result};
        last_message.clear();
        return 0;
    } catch (const std::bad_alloc &) {
        return static_cast<int>(fail(ENOMEM, {}));
    }
}

void kcall_ring_close(kcall_ring *r)
{
    delete r;
}
