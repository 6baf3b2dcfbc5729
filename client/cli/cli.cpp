// SPDX-License-Identifier: MIT
#include "cli.hpp"

#include "batch.hpp"
#include "integer.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <kcall.h>  // the uapi: KCALL_MESSAGE_MAX

#ifndef KCALL_VERSION
#define KCALL_VERSION "unknown"
#endif

namespace kcall::cli {

namespace {

// Keys in the order they are written.
using Json = nlohmann::ordered_json;

// One line of JSON. Strings from the kernel (comm) may be any bytes: each
// byte that is not valid UTF-8 becomes U+FFFD instead of an exception.
std::string dump(const Json &j)
{
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Bit masks of 64 bits do not fit a JSON number exactly (2^53): hex strings.
std::string hex64(uint64_t v)
{
    char buf[24];
    std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

// The loaded module's version, from sysfs.
std::string module_version()
{
    std::ifstream in("/sys/module/kcall/version");
    std::string v;
    if (!std::getline(in, v))
        return "not loaded";
    return v;
}

struct Options {
    std::string transport = "auto";
    bool json = false;
    std::string value;  // an int argument, parsed by parse_int32
    std::string which;
    std::string text;
    std::string count;    // monitor: stop after this many events (0: never)
    std::string timeout;  // monitor: stop after this long without one (0: never)
};

std::string op_label(uint32_t number)
{
    Op op{};
    if (op_from_number(number, &op))
        return to_string(op);
    // Batches are announced by their feature bit, not an operation.
    return number == KCALL_CMD_BATCH ? "batch" : "op" + std::to_string(number);
}

std::string stats_text(const std::vector<OpStats> &stats)
{
    std::ostringstream o;
    char line[96];
    std::snprintf(line, sizeof(line), "%-12s %20s %20s", "op", "calls", "failures");
    o << line;
    for (const auto &s : stats) {
        std::snprintf(line, sizeof(line), "\n%-12s %20llu %20llu", op_label(s.op).c_str(),
                      static_cast<unsigned long long>(s.calls),
                      static_cast<unsigned long long>(s.failures));
        o << line;
    }
    return o.str();
}

Json stats_json(const std::vector<OpStats> &stats)
{
    Json a = Json::array();
    for (const auto &s : stats)
        a.push_back({{"op", op_label(s.op)}, {"calls", s.calls}, {"failures", s.failures}});
    return a;
}

// A feature bit's name: an operation's, "batch", or "io_uring" (bit 63).
std::string feature_label(uint32_t bit)
{
    return KCALL_FEATURE(bit) == KCALL_FEATURE_URING_CMD ? "io_uring" : op_label(bit);
}

std::vector<std::string> feature_names(uint64_t features)
{
    std::vector<std::string> names;
    for (uint32_t n = 1; n < 64; n++)
        if ((features >> n) & 1U)
            names.push_back(feature_label(n));
    return names;
}

std::string version_text(const ModuleVersion &v)
{
    std::string o = "abi " + std::to_string(v.abi_version) + "\nfeatures";
    for (const auto &n : feature_names(v.features))
        o += " " + n;
    return o;
}

Json version_json(const ModuleVersion &v)
{
    return {{"abi_version", v.abi_version},
            {"features_mask", hex64(v.features)},
            {"features", feature_names(v.features)}};
}

// A failed call as JSON: what kcall(1) promises for --json on failure.
Json error_json(const std::string &op, const char *transport, const Error &e)
{
    return {
        {"op", op},
        {"transport", transport},
        {"error", {{"errno", e.code}, {"message", std::strerror(e.code)}, {"kernel", e.message}}}};
}

// Bytes from the kernel (a comm: any bytes, PR_SET_NAME) as the kernel log
// shows them: each byte that is not printable ASCII, and the quote and the
// backslash, as \xHH, so that the text between quotes can neither end them,
// nor start a line, nor send the terminal an escape sequence.
std::string escaped(std::string_view bytes)
{
    static constexpr char hex[] = "0123456789abcdef";
    std::string o;
    for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            o += ch;
            continue;
        }
        o += "\\x";
        o += hex[c >> 4];
        o += hex[c & 0xf];
    }
    return o;
}

// A usage error: one line, exit status 2.
int usage(std::ostream &err, const std::string &what)
{
    err << "kcall: " << what << " (see kcall --help)\n";
    return 2;
}

// kcall monitor: prints events as they come. A loss (ENOBUFS) is reported
// and monitoring goes on, as ip monitor does.
int run_monitor(const Options &opt, uint64_t count, int timeout_ms,
                const EventSourceFactory &open_events, std::ostream &out, std::ostream &err)
{
    auto next = open_events();
    if (!next) {
        err << "kcall: monitor: " << next.error().what() << "\n";
        return 1;
    }
    for (uint64_t seen = 0; count == 0 || seen < count;) {
        auto e = (*next)(timeout_ms);
        if (!e && e.error().code == ETIMEDOUT)
            return 0;
        if (!e && e.error().code == ENOBUFS) {
            err << "kcall: monitor: warning: " << e.error().what() << "; continuing\n";
            continue;
        }
        if (!e) {
            err << "kcall: monitor: " << e.error().what() << "\n";
            return 1;
        }
        out << event_line(*e, opt.json) << std::endl;  // live: flush each line
        seen++;
    }
    return 0;
}

// The retpid argument: self, parent or a number (the kernel judges it).
bool parse_which(const std::string &s, int32_t *out, std::string *why)
{
    if (s == "self") {
        *out = KCALL_SELF;
        return true;
    }
    if (s == "parent") {
        *out = KCALL_PARENT;
        return true;
    }
    if (parse_integer<int32_t>(s, INT32_MIN, INT32_MAX, out, why))
        return true;
    *why = "invalid selector '" + s + "' (use self, parent or a number)";
    return false;
}

// The first word that is not an option or an option's value: what CLI11
// would take for the subcommand.
std::string first_word(int argc, const char *const *argv)
{
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--")
            return i + 1 < argc ? argv[i + 1] : "";
        if (a == "-t" || a == "--transport") {
            i++;
            continue;
        }
        if (!a.empty() && a[0] == '-')
            continue;
        return a;
    }
    return "";
}

}  // namespace

std::string event_line(const Event &e, bool json)
{
    if (json) {
        Json j = {{"op", op_label(e.op)},
                  {"transport", to_string(e.transport)},
                  {"pid", e.pid},
                  {"comm", e.comm},
                  {"arg", e.arg}};
        if (e.error)
            j["errno"] = e.error;
        else
            j["result"] = e.result;
        return dump(j);
    }
    std::string o = std::string(to_string(e.transport)) + " " + op_label(e.op) + " pid " +
                    std::to_string(e.pid) + " comm \"" + escaped(e.comm) + "\" arg " +
                    std::to_string(e.arg) + " -> ";
    if (e.error)
        o += "error " + std::to_string(e.error) + " (" + std::strerror(e.error) + ")";
    else
        o += std::to_string(e.result);
    return o;
}

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

// kcall batch: every line checked before any runs; one line of output per
// operation run. 0 when every line ran and succeeded, 1 otherwise.
int run_batch(const Options &opt, Transport transport, const std::string &file, bool keep_going,
              const ClientFactory &open_client, std::istream &stdin_, std::ostream &out,
              std::ostream &err)
{
    std::ifstream f;
    if (file != "-") {
        f.open(file);
        if (!f)
            return usage(err, "batch: cannot read " + file + ": " + std::strerror(errno));
    }
    auto lines = parse_batch(file == "-" ? stdin_ : f);
    if (!lines)
        return usage(err, "batch: " + lines.error().message);
    Batch b;
    for (const auto &l : *lines)
        b.add(l.op, l.arg);
    auto client = open_client(transport);
    auto ran =
        client ? client->run(b, keep_going) : Result<std::vector<BatchOutcome>>(client.error());
    const char *used = client ? to_string(client->transport()) : to_string(transport);
    if (!ran) {
        err << "kcall: batch: " << ran.error().what() << "\n";
        if (opt.json)
            out << dump(error_json("batch", used, ran.error())) << "\n";
        return 1;
    }
    const size_t n = std::min(ran->size(), lines->size());
    bool ok = n == lines->size();
    for (size_t i = 0; i < n; i++) {
        const BatchLine &l = (*lines)[i];
        const BatchOutcome &o = (*ran)[i];
        const bool has_result = l.op == Op::retparam || l.op == Op::retpid || l.op == Op::taskcount;
        ok = ok && !o.error;
        if (opt.json) {
            Json j = {{"line", l.line}, {"op", to_string(l.op)}, {"transport", used}};
            if (l.op == Op::showparams || l.op == Op::retparam || l.op == Op::retpid)
                j["arg"] = l.arg;
            if (o.error)
                j["error"] = {{"errno", o.error}, {"message", std::strerror(o.error)}};
            else if (has_result)
                j["result"] = o.result;
            out << dump(j) << "\n";
        } else if (!o.error) {
            out << to_string(l.op) << ": " << (has_result ? std::to_string(o.result) : "done")
                << "\n";
        }
        if (o.error)
            err << "kcall: line " << l.line << ": " << to_string(l.op) << ": "
                << std::strerror(o.error) << "\n";
    }
    if (n == 0 && !lines->empty())
        err << "kcall: batch: no operation ran (" << lines->size() << " not run)\n";
    else if (n < lines->size())
        err << "kcall: batch: stopped after line " << (*lines)[n - 1].line << " ("
            << lines->size() - n << " not run; --keep-going runs them)\n";
    return ok ? 0 : 1;
}

int run(int argc, const char *const *argv, std::ostream &out, std::ostream &err,
        const ClientFactory &open_client, const EventSourceFactory &open_events, std::istream *in)
{
    CLI::App app{
        "kcall: call the kcall kernel module's syscall-style operations.\n"
        "Each subcommand runs one operation over /dev/kcall (ioctl) or the generic\n"
        "netlink family \"kcall\" and prints its result. Exit status: 0 on success,\n"
        "1 when the call fails (message on stderr), 2 on a usage error.",
        "kcall"};
    Options opt;
    app.add_option("-t,--transport", opt.transport,
                   "ioctl, netlink or auto (KCALL_TRANSPORT, else ioctl, else netlink)")
        ->check(CLI::IsMember({"auto", "ioctl", "netlink"}));
    app.add_flag("--json", opt.json,
                 "print one JSON object per call instead of text (UTF-8; 64-bit masks as hex "
                 "strings)");
    app.set_version_flag("-V,--version", [] {
        return "kcall " KCALL_VERSION " (client), module " + module_version();
    });
    app.require_subcommand(1);
    // Global options may follow the subcommand too: "kcall monitor --json".
    app.fallthrough();
    // Every message is one line starting "kcall: ".
    app.failure_message([](const CLI::App *, const CLI::Error &e) {
        return std::string("kcall: ") + e.what() + " (see kcall --help)\n";
    });

    auto *goodbye =
        app.add_subcommand("goodbye", "log \"Goodbye, cruel world !\" in the kernel log");
    auto *showparams =
        app.add_subcommand("showparams", "log \"showparams(VALUE)\" in the kernel log");
    showparams->add_option("value", opt.value, "a signed 32-bit integer")->required();
    auto *retparam =
        app.add_subcommand("retparam", "return VALUE if 0 <= VALUE <= 1024 (EINVAL otherwise)");
    retparam->add_option("value", opt.value, "a signed 32-bit integer")->required();
    auto *retpid = app.add_subcommand("retpid", "return the caller's (self) or parent's pid");
    retpid->add_option("which", opt.which, "self, parent, or a raw selector number")->required();
    auto *taskcount =
        app.add_subcommand("taskcount", "count the processes in the caller's pid namespace");
    auto *message = app.add_subcommand("message", "log TEXT (at most 255 bytes) in the kernel log");
    message->add_option("text", opt.text, "the text; non-printable bytes are logged escaped")
        ->required();
    auto *stats = app.add_subcommand("stats", "print each operation's call and failure counts");
    auto *stats_reset =
        app.add_subcommand("stats-reset", "zero the call counters (needs CAP_SYS_ADMIN)");
    auto *version =
        app.add_subcommand("version", "print the module's ABI version and its operations");
    auto *batch = app.add_subcommand(
        "batch", "run the operations in FILE (default: stdin), one per line, as one batch");
    std::string batch_file = "-";
    bool keep_going = false;
    batch->add_option("file", batch_file, "\"OP [ARG]\" lines ('#' comments); - for stdin");
    batch->add_flag("-k,--keep-going", keep_going, "run every line, also after a failed one");
    auto *monitor = app.add_subcommand(
        "monitor",
        "print every call of any operation live, from both transports (needs CAP_SYS_ADMIN)");
    monitor->add_option("-c,--count", opt.count, "stop after N events (default: never)");
    monitor->add_option("--timeout", opt.timeout,
                        "stop after SECONDS without an event (default: never)");

    // An unknown word is an unknown command, not "a subcommand is required".
    if (const std::string word = first_word(argc, argv); !word.empty()) {
        std::set<std::string> known;
        for (auto *sub : app.get_subcommands([](const CLI::App *) { return true; }))
            known.insert(sub->get_name());
        if (!known.count(word))
            return usage(err, "unknown command '" + word + "'");
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        return app.exit(e, out, err) == 0 ? 0 : 2;
    }

    const Transport transport = opt.transport == "ioctl"     ? Transport::ioctl
                                : opt.transport == "netlink" ? Transport::netlink
                                                             : Transport::automatic;
    if (monitor->parsed()) {
        uint64_t count = 0;
        std::string why;
        if (!opt.count.empty() && !parse_integer<uint64_t>(opt.count, 0, UINT64_MAX, &count, &why))
            return usage(err, "monitor: --count: " + why);
        int timeout_ms = -1;
        if (!opt.timeout.empty()) {
            // Seconds, fractions allowed; what poll() can wait at most.
            constexpr double max_s = INT_MAX / 1000.0;
            char *end = nullptr;
            const double s = std::strtod(opt.timeout.c_str(), &end);
            if (end == opt.timeout.c_str() || *end || !std::isfinite(s) || s < 0 || s > max_s)
                return usage(err, "monitor: --timeout: '" + opt.timeout +
                                      "' is not a number of seconds from 0 to " +
                                      std::to_string(static_cast<int>(max_s)));
            if (s > 0)
                timeout_ms = static_cast<int>(std::ceil(s * 1000));
        }
        return run_monitor(opt, count, timeout_ms, open_events, out, err);
    }
    if (batch->parsed())
        return run_batch(opt, transport, batch_file, keep_going, open_client, in ? *in : std::cin,
                         out, err);
    const std::string op = goodbye->parsed()       ? "goodbye"
                           : showparams->parsed()  ? "showparams"
                           : retparam->parsed()    ? "retparam"
                           : retpid->parsed()      ? "retpid"
                           : message->parsed()     ? "message"
                           : stats->parsed()       ? "stats"
                           : stats_reset->parsed() ? to_string(Op::stats_reset)
                           : version->parsed()     ? "version"
                                                   : "taskcount";
    (void)taskcount;

    // Arguments are checked before anything is opened.
    int32_t value = 0;
    int32_t which = 0;
    std::string why;
    if ((showparams->parsed() || retparam->parsed()) &&
        !parse_integer<int32_t>(opt.value, INT32_MIN, INT32_MAX, &value, &why))
        return usage(err, op + ": " + why);
    if (retpid->parsed() && !parse_which(opt.which, &which, &why))
        return usage(err, op + ": " + why);
    if (message->parsed() && opt.text.size() > KCALL_MESSAGE_MAX)
        return usage(err, op + ": the text is " + std::to_string(opt.text.size()) +
                              " bytes, at most " + std::to_string(KCALL_MESSAGE_MAX));

    auto failed = [&](const Error &e, const char *used) {
        err << "kcall: " << op << ": " << e.what() << "\n";
        if (opt.json)
            out << dump(error_json(op, used, e)) << "\n";
        return 1;
    };

    auto client = open_client(transport);
    if (!client)
        return failed(client.error(), to_string(transport));
    const char *used = to_string(client->transport());

    // The operation's result as JSON (null: none) and as text ("": none).
    struct Output {
        Json json;
        std::string text;
    };
    const auto none = [](const Result<void> &r) -> Result<Output> {
        return r.transform([] { return Output{}; });
    };
    const auto number = [](auto r) -> Result<Output> {
        return r.transform([](auto v) { return Output{Json(v), std::to_string(v)}; });
    };
    Result<Output> result = Error{EINVAL, {}};
    if (message->parsed()) {
        result = none(client->message(opt.text));
    } else if (stats_reset->parsed()) {
        result = none(client->stats_reset());
    } else if (stats->parsed()) {
        result = client->stats().transform([](const auto &s) {
            return Output{stats_json(s), stats_text(s)};
        });
    } else if (version->parsed()) {
        result = client->version().transform([](const auto &v) {
            return Output{version_json(v), version_text(v)};
        });
    } else if (goodbye->parsed()) {
        result = none(client->goodbye());
    } else if (showparams->parsed()) {
        result = none(client->showparams(value));
    } else if (retparam->parsed()) {
        result = number(client->retparam(value));
    } else if (retpid->parsed()) {
        result = number(client->retpid(which));
    } else {
        result = number(client->taskcount());
    }
    if (!result)
        return failed(result.error(), used);

    if (opt.json) {
        Json j = {{"op", op}, {"transport", used}};
        if (!result->json.is_null())
            j["result"] = result->json;
        out << dump(j) << "\n";
    } else if (result->text.empty()) {
        out << op << ": done" << (stats_reset->parsed() ? "" : " (see the kernel log)") << "\n";
    } else {
        out << result->text << "\n";
    }
    return 0;
}

}  // namespace kcall::cli
