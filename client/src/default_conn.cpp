// SPDX-License-Identifier: MIT
// The C API's default connection: one per thread, so that threads share no
// open file and no socket (a shared struct file has its reference count
// taken on every call of a threaded process, bouncing that cache line
// between CPUs). The process's first connection decides the transport;
// every thread's follows it.
//
// Lifetime. Each thread's connection lives in a Slot that belongs to the
// thread: its first call without a handle makes it and stores it as the
// value of a pthread key (and in tls_slot, the calls' copy), and the key's
// destructor frees it (closing the connection) when the thread exits;
// nothing else ever frees a slot. glibc clears the key's value before
// calling that destructor, and the destructor clears tls_slot, so a later
// destructor of the same thread (an application key's) that calls the
// library finds no slot, opens a new one, and the next round of key
// destructors frees it; a slot opened in glibc's last round is never
// freed (it stays linked, its connection open until a release or the
// process's end). Key destructors do not run in exit(), so no
// connection is closed while the process exits: atexit handlers and
// threads still calling find theirs intact (this module has no static
// object with a destructor). kcall_release_default() closes the
// connection inside every slot and leaves the slots to their threads; it
// finds them through a list of every slot not freed (linked by a
// thread's first call, unlinked by its key destructor, both under the
// mutex). It must not race with a call of another thread: that call may
// be using the connection it frees. After fork() the child has one
// thread; the list keeps the slots of the parent's other threads when it
// is whole (child_after_fork()).
#include "default_conn.hpp"

#include <pthread.h>

#include <cerrno>
#include <mutex>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

#include "backends.hpp"

namespace kcall::default_conn {

namespace {

struct Registry {
    std::mutex mutex;
    Slot *slots = nullptr;               // every live thread's slot, linked through prev/next
    std::optional<Transport> transport;  // the process's, once a connection decided it
    std::unique_ptr<Client> shared;      // a test's, for every thread
    Backend *shared_backend = nullptr;   // shared's
};

// Made on first use and never destroyed: threads may call while static
// destructors run. In static storage, so that making it cannot fail.
Registry &registry() noexcept
{
    alignas(Registry) static unsigned char storage[sizeof(Registry)];
    static Registry *const r = new (storage) Registry();
    return *r;
}

// Callers hold the mutex.
void link(Registry &r, Slot *s) noexcept
{
    s->prev = nullptr;
    s->next = r.slots;
    if (r.slots)
        r.slots->prev = s;
    r.slots = s;
}

void unlink(Registry &r, Slot *s) noexcept
{
    if (s->prev)
        s->prev->next = s->next;
    else if (r.slots == s)
        r.slots = s->next;
    if (s->next)
        s->next->prev = s->prev;
    s->prev = s->next = nullptr;
}

// The key's destructor: the thread ends, its slot and connection with it
// (closed outside the lock).
void thread_exit(void *value) noexcept
{
    std::unique_ptr<Slot> slot(static_cast<Slot *>(value));
    tls_slot = nullptr;
    Registry &r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    unlink(r, slot.get());
}

// The child of fork() runs this before fork() returns, with one thread.
// When no thread held the mutex at the fork, the list is whole: it keeps
// the parent's other threads' slots, whose threads the child does not
// have, so that kcall_release_default() in the child closes their
// connections too (their slots are never freed: no thread exits with
// them). Otherwise the list may be half changed: the child starts a new
// one with its own slot alone, and the others' descriptors stay open.
static_assert(std::is_trivially_destructible_v<std::mutex>,
              "the child's new mutex reuses the old one's storage");
void child_after_fork() noexcept
{
    Registry &r = registry();
    if (r.mutex.try_lock()) {
        r.mutex.unlock();
        return;
    }
    new (&r.mutex) std::mutex();
    r.slots = nullptr;
    if (Slot *mine = current())
        link(r, mine);
}

// The key whose value is each thread's slot; err: pthread_key_create()'s,
// when the process had no key left.
struct Key {
    Key() noexcept : err(pthread_key_create(&key, thread_exit)) {}
    pthread_key_t key{};
    int err = 0;
};

const Key &key() noexcept
{
    static const Key k;
    return k;
}

// Both made when the library loads, before any thread of the program can
// call or fork: child_after_fork() must not find either half made by a
// thread the child does not have.
[[maybe_unused]] const bool made_early = (registry(), key(), true);

[[maybe_unused]] const bool fork_handler = pthread_atfork(nullptr, nullptr, child_after_fork) == 0;

Result<Slot *> open_slot()
{
    const Key &k = key();
    if (k.err)
        return Error{k.err, "no pthread key for the default connection"};
    Registry &r = registry();
    Slot *slot = current();
    if (slot && slot->client)
        return slot;
    if (!slot) {
        auto fresh = std::make_unique<Slot>();
        if (const int err = pthread_setspecific(k.key, fresh.get()))
            return Error{err, "cannot keep the thread's default connection"};
        slot = fresh.release();
        tls_slot = slot;
        std::lock_guard<std::mutex> lock(r.mutex);
        link(r, slot);
    }
    Transport transport = Transport::automatic;
    {
        std::lock_guard<std::mutex> lock(r.mutex);
        if (r.shared) {
            slot->client = r.shared.get();
            slot->backend = r.shared_backend;
            return slot;
        }
        transport = r.transport.value_or(Transport::automatic);
    }
    // Not under the lock: opening may load the module and wait for the
    // kernel's answers, and no other thread's call, exit or fork waits.
    auto backend = open_backend(transport);
    if (!backend)
        return backend.error();
    Backend *raw = backend->get();
    auto client = std::make_unique<Client>(std::move(*backend));
    std::lock_guard<std::mutex> lock(r.mutex);
    if (!r.transport)
        r.transport = raw->transport();
    slot->own = std::move(client);
    slot->client = slot->own.get();
    slot->backend = raw;
    return slot;
}

}  // namespace

constinit thread_local Slot *tls_slot __attribute__((tls_model("initial-exec"))) = nullptr;

Result<Slot *> open()
{
    try {
        return open_slot();
    } catch (const std::bad_alloc &) {
        return Error{ENOMEM, {}};
    }
}

void release(std::unique_ptr<Client> shared, Backend *shared_backend) noexcept
{
    Registry &r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    for (Slot *s = r.slots; s; s = s->next) {
        s->client = nullptr;
        s->backend = nullptr;
        s->own.reset();
    }
    r.shared = std::move(shared);
    r.shared_backend = shared_backend;
    r.transport.reset();
}

}  // namespace kcall::default_conn
