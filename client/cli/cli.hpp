// SPDX-License-Identifier: MIT
// The kcall command line, as a function of its arguments, streams and the
// way to open a client, so that tests can run it against a fake backend.
#pragma once

#include <functional>
#include <ostream>

#include "kcall/kcall.hpp"

namespace kcall::cli {

using ClientFactory = std::function<Result<Client>(Transport)>;

// Returns the process exit status: 0 success, 1 a failed call, 2 usage.
int run(int argc, const char *const *argv, std::ostream &out, std::ostream &err,
        const ClientFactory &open_client);

}  // namespace kcall::cli
