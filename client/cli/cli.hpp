// SPDX-License-Identifier: MIT
// The kcall CLI's logic, apart from main() so that host tests can drive it
// with fake clients and event sources.
#pragma once

#include <functional>
#include <istream>
#include <ostream>

#include "kcall/kcall.hpp"

namespace kcall::cli {

using ClientFactory = std::function<Result<Client>(Transport)>;
// What monitor reads: a function returning the next event (or an error)
// within a timeout in milliseconds, as Monitor::next does.
using EventSource = std::function<Result<Event>(int timeout_ms)>;
using EventSourceFactory = std::function<Result<EventSource>()>;

// The real event source: a kcall::Monitor.
EventSourceFactory monitor_events();

// Exit status: 0 success, 1 the call failed, 2 usage error. Every line on
// err starts with "kcall: ". in: what "kcall batch" reads as stdin
// (nullptr: std::cin).
int run(int argc, const char *const *argv, std::ostream &out, std::ostream &err,
        const ClientFactory &open_client, const EventSourceFactory &open_events = monitor_events(),
        std::istream *in = nullptr);

// One monitor line for e, as text or JSON (no newline). In JSON, strings
// are UTF-8: each byte of comm that is not part of valid UTF-8 becomes
// U+FFFD.
std::string event_line(const Event &e, bool json);

}  // namespace kcall::cli
