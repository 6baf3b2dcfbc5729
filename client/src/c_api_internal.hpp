// SPDX-License-Identifier: MIT
// Test seams of the C API (not installed).
#pragma once

#include <memory>

#include "kcall/kcall.h"
#include "kcall/kcall.hpp"

namespace kcall {

class Backend;

namespace internal {

// Closes every thread's default connection and makes a client over
// backend the default of every thread (nullptr: each thread opens its own
// again on its next call).
void set_default_backend(std::unique_ptr<Backend> backend);

// A handle over an existing client.
kcall_handle *wrap(Client client);

}  // namespace internal
}  // namespace kcall
