// SPDX-License-Identifier: MIT
// The C API's default connection: one per thread (kcall.h).
// Internal: not installed, not part of the ABI.
#pragma once

#include <memory>

#include "backend.hpp"
#include "kcall/kcall.hpp"

namespace kcall::default_conn {

// A thread's default connection, owned by the thread. client is null
// until the thread's first call without a handle, and again after
// release(); backend is client's, for the simple calls' short path.
struct Slot {
    std::unique_ptr<Client> own;  // the thread's own connection, if it opened one
    Client *client = nullptr;     // own, or a test's shared one (set_default_backend)
    Backend *backend = nullptr;
    Slot *prev = nullptr;  // in the list release() walks
    Slot *next = nullptr;
};

// The calling thread's slot: a copy of the value of the pthread key whose
// destructor frees it, set together with it and cleared by that
// destructor, so that every call's short path is one load at a fixed
// offset from the thread pointer (initial-exec TLS). nullptr before the
// thread's first call without a handle, and once its key destructor ran.
extern constinit thread_local Slot *tls_slot __attribute__((tls_model("initial-exec")));

inline Slot *current() noexcept
{
    return tls_slot;
}

// The calling thread's slot with a connection open: current(), or a new
// slot or connection. A failed open is tried again by the next call (the
// module may have been loaded meanwhile). Not noexcept: opening may wait
// in a cancellation point, and a cancelled thread unwinds from there.
Result<Slot *> open();

// Closes every thread's default connection (each slot stays its thread's)
// and forgets the process's transport; shared (tests: a client over
// shared_backend), when not null, becomes every thread's default.
void release(std::unique_ptr<Client> shared = nullptr, Backend *shared_backend = nullptr) noexcept;

}  // namespace kcall::default_conn
