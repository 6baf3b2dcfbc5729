// SPDX-License-Identifier: MIT
#include "cli.hpp"

#include <CLI/CLI.hpp>

#include <climits>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

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
};

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

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        return app.exit(e, out, err) == 0 ? 0 : 2;
    }

    const Transport transport = opt.transport == "ioctl"     ? Transport::ioctl
                                : opt.transport == "netlink" ? Transport::netlink
                                                             : Transport::automatic;
    const char *op = goodbye->parsed()      ? "goodbye"
                     : showparams->parsed() ? "showparams"
                     : retparam->parsed()   ? "retparam"
                     : retpid->parsed()     ? "retpid"
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
    Result<std::string> result = Error{EINVAL, {}};
    if (goodbye->parsed()) {
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
        out << op << ": done (see the kernel log)\n";
    } else {
        out << *result << "\n";
    }
    return 0;
}

}  // namespace kcall::cli
