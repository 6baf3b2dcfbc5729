// SPDX-License-Identifier: MIT
// kcall monitor: prints events as they come. A loss (ENOBUFS) is reported
// and monitoring goes on, as ip monitor does.
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "integer.hpp"
#include "subcommands.hpp"

namespace kcall::cli {

namespace {

// --count: 0 (never) to 2^64-1.
uint64_t count_arg(const std::string &s)
{
    uint64_t count = 0;
    std::string why;
    if (!s.empty() && !parse_integer<uint64_t>(s, 0, UINT64_MAX, &count, &why))
        throw CLI::ValidationError("monitor", "--count: " + why);
    return count;
}

// --timeout: seconds, fractions allowed, up to what poll() can wait; in
// milliseconds, -1 for never.
int timeout_arg(const std::string &s)
{
    if (s.empty())
        return -1;
    constexpr double max_s = INT_MAX / 1000.0;
    char *end = nullptr;
    const double secs = std::strtod(s.c_str(), &end);
    if (end == s.c_str() || *end || !std::isfinite(secs) || secs < 0 || secs > max_s)
        throw CLI::ValidationError("monitor", "--timeout: '" + s +
                                                  "' is not a number of seconds from 0 to " +
                                                  std::to_string(static_cast<int>(max_s)));
    return secs > 0 ? static_cast<int>(std::ceil(secs * 1000)) : -1;
}

}  // namespace

EventSourceFactory monitor_events()
{
    return []() -> Result<EventSource> {
        auto m = Monitor::open();
        if (!m)
            return m.error();
        auto shared = std::make_shared<Monitor>(std::move(*m));
        return EventSource([shared](int timeout_ms) { return shared->next(timeout_ms); });
    };
}

void setup_monitor(CLI::App &app, Options &opt, Env &env)
{
    auto *sub = add_subcommand(
        app, "monitor",
        "print every call of any operation live, from both transports (needs CAP_SYS_ADMIN)",
        run_monitor, opt, env);
    sub->add_option("-c,--count", opt.count, "stop after N events (default: never)");
    sub->add_option("--timeout", opt.timeout,
                    "stop after SECONDS without an event (default: never)");
}

int run_monitor(const Options &opt, Env &env)
{
    const uint64_t count = count_arg(opt.count);
    const int timeout_ms = timeout_arg(opt.timeout);
    auto next = env.open_events();
    if (!next) {
        env.err << "kcall: monitor: " << next.error().what() << "\n";
        return 1;
    }
    for (uint64_t seen = 0; count == 0 || seen < count;) {
        auto e = (*next)(timeout_ms);
        if (!e && e.error().code == ETIMEDOUT)
            return 0;
        if (!e && e.error().code == ENOBUFS) {
            env.err << "kcall: monitor: warning: " << e.error().what() << "; continuing\n";
            continue;
        }
        if (!e) {
            env.err << "kcall: monitor: " << e.error().what() << "\n";
            return 1;
        }
        env.out << event_line(*e, opt.json) << std::endl;  // live: flush each line
        seen++;
    }
    return 0;
}

}  // namespace kcall::cli
