// SPDX-License-Identifier: MIT
// Test seams of the C API (not installed).
#pragma once

#include <memory>

#include "kcall/kcall.h"
#include "kcall/kcall.hpp"

namespace kcall::internal {

// Replaces the process-wide default connection (nullptr: open it again
// lazily on next use).
void set_default_client(std::unique_ptr<Client> client);

// A handle over an existing client.
kcall_handle *wrap(Client client);

}  // namespace kcall::internal
