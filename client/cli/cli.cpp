// SPDX-License-Identifier: MIT
// kcall(1)'s app: the global options, one setup_X per subcommand, and the
// one place that turns a parse or usage error into its one line.
#include "cli.hpp"

#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "options.hpp"
#include "subcommands.hpp"

#ifndef KCALL_VERSION
#define KCALL_VERSION "unknown"
#endif

namespace kcall::cli {

namespace {

// The loaded module's version, from sysfs.
std::string module_version()
{
    std::ifstream in("/sys/module/kcall/version");
    std::string v;
    if (!std::getline(in, v))
        return "not loaded";
    return v;
}

// What went wrong, in words for the one line: CLI11's own, except where no
// subcommand was given. A word that is none ("kcall frobnicate") is left
// over when CLI11 finds the subcommand missing: it names the unknown
// command; nothing left over names the commands there are.
std::string what_was_wrong(const CLI::App &app, const CLI::Error &e)
{
    if (e.get_name() != "RequiredError" || !app.get_subcommands().empty())
        return e.what();
    const std::vector<std::string> left = app.remaining();
    if (!left.empty())
        return "unknown command '" + left.front() + "'";
    std::string names;
    for (const auto *sub : app.get_subcommands([](const CLI::App *) { return true; }))
        names += (names.empty() ? "" : ", ") + sub->get_name();
    return "a command is required: " + names;
}

}  // namespace

CLI::App *add_subcommand(CLI::App &app, const std::string &name, const std::string &description,
                         RunFn run, Options &opt, Env &env)
{
    auto *sub = app.add_subcommand(name, description);
    sub->callback([run, &opt, &env] { env.status = run(opt, env); });
    return sub;
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
    Env env{out, err, in ? *in : std::cin, open_client, open_events};

    app.add_option_function<std::string>(
           "-t,--transport",
           [&opt](const std::string &t) {
               opt.transport = t == "ioctl"     ? Transport::ioctl
                               : t == "netlink" ? Transport::netlink
                                                : Transport::automatic;
           },
           "ioctl, netlink or auto (KCALL_TRANSPORT, else ioctl, else netlink)")
        ->check(CLI::IsMember({"auto", "ioctl", "netlink"}));
    app.add_flag("--json", opt.json,
                 "print one JSON object per call instead of text (UTF-8; 64-bit masks as hex "
                 "strings)");
    app.set_version_flag("-V,--version", [] {
        return "kcall " KCALL_VERSION " (client), module " + module_version();
    });
    // Exactly one subcommand, none by default.
    app.require_subcommand(1);
    // Global options may follow the subcommand too: "kcall monitor --json".
    app.fallthrough();
    // Every message is one line starting "kcall: ".
    app.failure_message([](const CLI::App *a, const CLI::Error &e) {
        return "kcall: " + what_was_wrong(*a, e) + " (see kcall --help)\n";
    });

    setup_goodbye(app, opt, env);
    setup_showparams(app, opt, env);
    setup_retparam(app, opt, env);
    setup_retpid(app, opt, env);
    setup_taskcount(app, opt, env);
    setup_message(app, opt, env);
    setup_stats(app, opt, env);
    setup_stats_reset(app, opt, env);
    setup_version(app, opt, env);
    setup_batch(app, opt, env);
    setup_monitor(app, opt, env);

    // The subcommand's callback runs inside parse; a usage error it finds
    // is a CLI::ParseError too, reported the same way.
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        return app.exit(e, out, err) == 0 ? 0 : 2;
    }
    return env.status;
}

}  // namespace kcall::cli
