// SPDX-License-Identifier: MIT
#include "cli.hpp"

#include <CLI/CLI.hpp>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#ifndef KCALL_VERSION
#define KCALL_VERSION "unknown"
#endif

namespace kcall::cli {

namespace {

// JSON string literal for s.
std::string json_string(const std::string &s)
{
    std::string out = "\"";
    for (const unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof(buf), "\\u%04x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
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
    int32_t value = 0;
    std::string which;
    std::string text;
    uint64_t count = 0;  // monitor: stop after this many events (0: never)
    double timeout = 0;  // monitor: stop after this long without one (0: never)
};

std::string op_label(uint32_t number)
{
    Op op{};
    return op_from_number(number, &op) ? to_string(op) : "op" + std::to_string(number);
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

std::string stats_json(const std::vector<OpStats> &stats)
{
    std::string o = "[";
    for (const auto &s : stats) {
        if (o.size() > 1)
            o += ",";
        o += "{\"op\":" + json_string(op_label(s.op)) + ",\"calls\":" + std::to_string(s.calls) +
             ",\"failures\":" + std::to_string(s.failures) + "}";
    }
    return o + "]";
}

std::vector<std::string> feature_names(uint64_t features)
{
    std::vector<std::string> names;
    for (uint32_t n = 1; n < 64; n++)
        if ((features >> n) & 1U)
            names.push_back(op_label(n));
    return names;
}

std::string version_text(const ModuleVersion &v)
{
    std::string o = "abi " + std::to_string(v.abi_version) + "\nfeatures";
    for (const auto &n : feature_names(v.features))
        o += " " + n;
    return o;
}

std::string version_json(const ModuleVersion &v)
{
    std::string o = "{\"abi_version\":" + std::to_string(v.abi_version) +
                    ",\"features_mask\":" + std::to_string(v.features) + ",\"features\":[";
    bool first = true;
    for (const auto &n : feature_names(v.features)) {
        o += (first ? "" : ",") + json_string(n);
        first = false;
    }
    return o + "]}";
}

std::string event_line(const Event &e, bool json)
{
    if (json) {
        std::string o = "{\"op\":" + json_string(op_label(e.op)) +
                        ",\"transport\":" + json_string(to_string(e.transport)) +
                        ",\"pid\":" + std::to_string(e.pid) + ",\"comm\":" + json_string(e.comm) +
                        ",\"arg\":" + std::to_string(e.arg);
        if (e.error)
            o += ",\"errno\":" + std::to_string(e.error);
        else
            o += ",\"result\":" + std::to_string(e.result);
        return o + "}";
    }
    std::string o = std::string(to_string(e.transport)) + " " + op_label(e.op) + " pid " +
                    std::to_string(e.pid) + " (" + e.comm + ") arg " + std::to_string(e.arg) +
                    " -> ";
    if (e.error)
        o += "error " + std::to_string(e.error) + " (" + std::strerror(e.error) + ")";
    else
        o += std::to_string(e.result);
    return o;
}

// kcall monitor: prints events as they come.
int run_monitor(const Options &opt, std::ostream &out, std::ostream &err)
{
    auto m = Monitor::open();
    if (!m) {
        err << "kcall: monitor: " << m.error().what() << "\n";
        return 1;
    }
    const int timeout_ms = opt.timeout > 0 ? static_cast<int>(opt.timeout * 1000) : -1;
    for (uint64_t seen = 0; opt.count == 0 || seen < opt.count; seen++) {
        auto e = m->next(timeout_ms);
        if (!e && e.error().code == ETIMEDOUT)
            return 0;
        if (!e) {
            err << "kcall: monitor: " << e.error().what() << "\n";
            return 1;
        }
        out << event_line(*e, opt.json) << std::endl;  // live: flush each line
    }
    return 0;
}

// The retpid argument: self, parent or a number (the kernel judges it).
bool parse_which(const std::string &s, int32_t *out)
{
    if (s == "self") {
        *out = KCALL_SELF;
        return true;
    }
    if (s == "parent") {
        *out = KCALL_PARENT;
        return true;
    }
    try {
        size_t end = 0;
        const long v = std::stol(s, &end, 0);
        if (end != s.size() || v < INT32_MIN || v > INT32_MAX)
            return false;
        *out = static_cast<int32_t>(v);
        return true;
    } catch (const std::exception &) {
        return false;
    }
}

}  // namespace

int run(int argc, const char *const *argv, std::ostream &out, std::ostream &err,
        const ClientFactory &open_client)
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
    app.add_flag("--json", opt.json, "print one JSON object per call instead of text");
    app.set_version_flag("-V,--version", [] {
        return "kcall " KCALL_VERSION " (client), module " + module_version();
    });
    app.require_subcommand(1);
    // Global options may follow the subcommand too: "kcall monitor --json".
    app.fallthrough();

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
    auto *monitor = app.add_subcommand(
        "monitor",
        "print every call of any operation live, from both transports (needs CAP_SYS_ADMIN)");
    monitor->add_option("-c,--count", opt.count, "stop after N events (default: never)");
    monitor
        ->add_option("--timeout", opt.timeout,
                     "stop after SECONDS without an event (default: never)")
        ->check(CLI::NonNegativeNumber);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        return app.exit(e, out, err) == 0 ? 0 : 2;
    }

    const Transport transport = opt.transport == "ioctl"     ? Transport::ioctl
                                : opt.transport == "netlink" ? Transport::netlink
                                                             : Transport::automatic;
    if (monitor->parsed())
        return run_monitor(opt, out, err);
    const char *op = goodbye->parsed()       ? "goodbye"
                     : showparams->parsed()  ? "showparams"
                     : retparam->parsed()    ? "retparam"
                     : retpid->parsed()      ? "retpid"
                     : message->parsed()     ? "message"
                     : stats->parsed()       ? "stats"
                     : stats_reset->parsed() ? "stats-reset"
                     : version->parsed()     ? "version"
                                             : "taskcount";
    (void)taskcount;

    int32_t which = 0;
    if (retpid->parsed() && !parse_which(opt.which, &which)) {
        err << "kcall: retpid: invalid selector '" << opt.which
            << "' (use self, parent or a number)\n";
        return 2;
    }

    auto failed = [&](const Error &e, const char *used) {
        err << "kcall: " << op << ": " << e.what() << "\n";
        if (opt.json)
            out << "{\"op\":\"" << op << "\",\"transport\":\"" << used
                << "\",\"error\":{\"errno\":" << e.code
                << ",\"message\":" << json_string(std::strerror(e.code))
                << ",\"kernel\":" << json_string(e.message) << "}}\n";
        return 1;
    };

    auto client = open_client(transport);
    if (!client)
        return failed(client.error(), to_string(transport));
    const char *used = to_string(client->transport());

    // Runs the operation; result text is empty for operations without one.
    // Results that are not one number print differently as text and JSON.
    Result<std::string> result = Error{EINVAL, {}};
    auto done = [](const Result<Ok> &r) {
        return r ? Result<std::string>(std::string()) : Result<std::string>(r.error());
    };
    if (message->parsed()) {
        result = done(client->message(opt.text));
    } else if (stats_reset->parsed()) {
        result = done(client->stats_reset());
    } else if (stats->parsed()) {
        auto r = client->stats();
        result = r ? Result<std::string>(opt.json ? stats_json(*r) : stats_text(*r))
                   : Result<std::string>(r.error());
    } else if (version->parsed()) {
        auto r = client->version();
        result = r ? Result<std::string>(opt.json ? version_json(*r) : version_text(*r))
                   : Result<std::string>(r.error());
    } else if (goodbye->parsed()) {
        auto r = client->goodbye();
        result = r ? Result<std::string>(std::string()) : Result<std::string>(r.error());
    } else if (showparams->parsed()) {
        auto r = client->showparams(opt.value);
        result = r ? Result<std::string>(std::string()) : Result<std::string>(r.error());
    } else if (retparam->parsed()) {
        auto r = client->retparam(opt.value);
        result = r ? Result<std::string>(std::to_string(*r)) : Result<std::string>(r.error());
    } else if (retpid->parsed()) {
        auto r = client->retpid(which);
        result = r ? Result<std::string>(std::to_string(*r)) : Result<std::string>(r.error());
    } else {
        auto r = client->taskcount();
        result = r ? Result<std::string>(std::to_string(*r)) : Result<std::string>(r.error());
    }
    if (!result)
        return failed(result.error(), used);

    if (opt.json) {
        out << "{\"op\":\"" << op << "\",\"transport\":\"" << used << "\"";
        if (!result->empty())
            out << ",\"result\":" << *result;
        out << "}\n";
    } else if (result->empty()) {
        out << op << ": done" << (stats_reset->parsed() ? "" : " (see the kernel log)") << "\n";
    } else {
        out << *result << "\n";
    }
    return 0;
}

}  // namespace kcall::cli
