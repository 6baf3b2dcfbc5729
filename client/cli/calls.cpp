// SPDX-License-Identifier: MIT
// The subcommands that make one call of one operation and print its
// result: goodbye, showparams, retparam, retpid, taskcount, message,
// stats, stats-reset, version.
#include <cerrno>
#include <climits>
#include <functional>
#include <string>

#include <kcall.h>  // the uapi: KCALL_MESSAGE_MAX

#include "integer.hpp"
#include "output.hpp"
#include "subcommands.hpp"

namespace kcall::cli {

namespace {

// A call's result as JSON (null: none) and as the text line(s) printed.
struct Output {
    Json json;
    std::string text;
};

// An operation whose output went elsewhere: "OP: done[ (see the kernel log)]".
Result<Output> done(const Result<void> &r, const std::string &op, bool logs = true)
{
    return r.transform([&] {
        return Output{Json(), op + ": done" + (logs ? " (see the kernel log)" : "")};
    });
}

template <typename T>
Result<Output> number(const Result<T> &r)
{
    return r.transform([](T v) { return Output{Json(v), std::to_string(v)}; });
}

// Opens a client, makes the call, prints its result (0) or its failure (1).
int call(const std::string &op, const Options &opt, Env &env,
         const std::function<Result<Output>(Client &)> &make)
{
    const auto failed = [&](const Error &e, const char *used) {
        env.err << "kcall: " << op << ": " << e.what() << "\n";
        if (opt.json)
            env.out << dump(error_json(op, used, e)) << "\n";
        return 1;
    };
    auto client = env.open_client(opt.transport);
    if (!client)
        return failed(client.error(), to_string(opt.transport));
    const char *used = to_string(client->transport());
    const auto result = make(*client);
    if (!result)
        return failed(result.error(), used);
    if (opt.json) {
        Json j = {{"op", op}, {"transport", used}};
        if (!result->json.is_null())
            j["result"] = result->json;
        env.out << dump(j) << "\n";
    } else {
        env.out << result->text << "\n";
    }
    return 0;
}

// A signed 32-bit argument, checked before anything is opened.
int32_t int32_arg(const std::string &op, const std::string &s)
{
    int32_t v = 0;
    std::string why;
    if (!parse_integer<int32_t>(s, INT32_MIN, INT32_MAX, &v, &why))
        throw CLI::ValidationError(op, why);
    return v;
}

}  // namespace

void setup_goodbye(CLI::App &app, Options &opt, Env &env)
{
    add_subcommand(app, "goodbye", "log \"Goodbye, cruel world !\" in the kernel log", run_goodbye,
                   opt, env);
}

int run_goodbye(const Options &opt, Env &env)
{
    return call("goodbye", opt, env, [](Client &c) { return done(c.goodbye(), "goodbye"); });
}

void setup_showparams(CLI::App &app, Options &opt, Env &env)
{
    add_subcommand(app, "showparams", "log \"showparams(VALUE)\" in the kernel log", run_showparams,
                   opt, env)
        ->add_option("value", opt.value, "a signed 32-bit integer")
        ->required();
}

int run_showparams(const Options &opt, Env &env)
{
    const int32_t v = int32_arg("showparams", opt.value);
    return call("showparams", opt, env,
                [v](Client &c) { return done(c.showparams(v), "showparams"); });
}

void setup_retparam(CLI::App &app, Options &opt, Env &env)
{
    add_subcommand(app, "retparam", "return VALUE if 0 <= VALUE <= 1024 (EINVAL otherwise)",
                   run_retparam, opt, env)
        ->add_option("value", opt.value, "a signed 32-bit integer")
        ->required();
}

int run_retparam(const Options &opt, Env &env)
{
    const int32_t v = int32_arg("retparam", opt.value);
    return call("retparam", opt, env, [v](Client &c) { return number(c.retparam(v)); });
}

void setup_retpid(CLI::App &app, Options &opt, Env &env)
{
    add_subcommand(app, "retpid", "return the caller's (self) or parent's pid", run_retpid, opt,
                   env)
        ->add_option("which", opt.which, "self, parent, or a raw selector number")
        ->required();
}

// self, parent or a number: the kernel judges the number.
int run_retpid(const Options &opt, Env &env)
{
    int32_t which = 0;
    std::string why;
    if (opt.which == "self")
        which = KCALL_SELF;
    else if (opt.which == "parent")
        which = KCALL_PARENT;
    else if (!parse_integer<int32_t>(opt.which, INT32_MIN, INT32_MAX, &which, &why))
        throw CLI::ValidationError(
            "retpid", "invalid selector '" + opt.which + "' (use self, parent or a number)");
    return call("retpid", opt, env, [which](Client &c) { return number(c.retpid(which)); });
}

void setup_taskcount(CLI::App &app, Options &opt, Env &env)
{
    add_subcommand(app, "taskcount", "count the processes in the caller's pid namespace",
                   run_taskcount, opt, env);
}

int run_taskcount(const Options &opt, Env &env)
{
    return call("taskcount", opt, env, [](Client &c) { return number(c.taskcount()); });
}

void setup_message(CLI::App &app, Options &opt, Env &env)
{
    add_subcommand(app, "message", "log TEXT (at most 255 bytes) in the kernel log", run_message,
                   opt, env)
        ->add_option("text", opt.text, "the text; non-printable bytes are logged escaped")
        ->required();
}

int run_message(const Options &opt, Env &env)
{
    // Too long is a usage error: it never reaches the kernel.
    if (opt.text.size() > KCALL_MESSAGE_MAX)
        throw CLI::ValidationError("message", "the text is " + std::to_string(opt.text.size()) +
                                                  " bytes, at most " +
                                                  std::to_string(KCALL_MESSAGE_MAX));
    return call("message", opt, env,
                [&opt](Client &c) { return done(c.message(opt.text), "message"); });
}

void setup_stats(CLI::App &app, Options &opt, Env &env)
{
    add_subcommand(app, "stats", "print each operation's call and failure counts", run_stats, opt,
                   env);
}

int run_stats(const Options &opt, Env &env)
{
    return call("stats", opt, env, [](Client &c) {
        return c.stats().transform([](const auto &s) {
            return Output{stats_json(s), stats_text(s)};
        });
    });
}

void setup_stats_reset(CLI::App &app, Options &opt, Env &env)
{
    add_subcommand(app, "stats-reset", "zero the call counters (needs CAP_SYS_ADMIN)",
                   run_stats_reset, opt, env);
}

// Its output is the zeroed counters, not a kernel log line.
int run_stats_reset(const Options &opt, Env &env)
{
    return call("stats-reset", opt, env,
                [](Client &c) { return done(c.stats_reset(), "stats-reset", false); });
}

void setup_version(CLI::App &app, Options &opt, Env &env)
{
    add_subcommand(app, "version", "print the module's ABI version and its operations", run_version,
                   opt, env);
}

int run_version(const Options &opt, Env &env)
{
    return call("version", opt, env, [](Client &c) {
        return c.version().transform([](const auto &v) {
            return Output{version_json(v), version_text(v)};
        });
    });
}

}  // namespace kcall::cli
