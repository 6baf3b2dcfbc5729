// SPDX-License-Identifier: MIT
// kcall batch: every line checked before any runs; one line of output per
// operation run.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "batch.hpp"
#include "output.hpp"
#include "subcommands.hpp"

namespace kcall::cli {

void setup_batch(CLI::App &app, Options &opt, Env &env)
{
    auto *sub = add_subcommand(
        app, "batch", "run the operations in FILE (default: stdin), one per line, as one batch",
        run_batch, opt, env);
    sub->add_option("file", opt.batch_file, "\"OP [ARG]\" lines ('#' comments); - for stdin");
    sub->add_flag("-k,--keep-going", opt.keep_going, "run every line, also after a failed one");
}

// 0 when every line ran and succeeded, 1 otherwise.
int run_batch(const Options &opt, Env &env)
{
    std::ifstream f;
    if (opt.batch_file != "-") {
        f.open(opt.batch_file);
        if (!f)
            throw CLI::ValidationError(
                "batch", "cannot read " + opt.batch_file + ": " + std::strerror(errno));
    }
    auto lines = parse_batch(opt.batch_file == "-" ? env.in : f);
    if (!lines)
        throw CLI::ValidationError("batch", lines.error().message);
    Batch b;
    for (const auto &l : *lines)
        b.add(l.op, l.arg);
    auto client = env.open_client(opt.transport);
    auto ran =
        client ? client->run(b, opt.keep_going) : Result<std::vector<BatchOutcome>>(client.error());
    const char *used = client ? to_string(client->transport()) : to_string(opt.transport);
    if (!ran) {
        env.err << "kcall: batch: " << ran.error().what() << "\n";
        if (opt.json)
            env.out << dump(error_json("batch", used, ran.error())) << "\n";
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
            env.out << dump(j) << "\n";
        } else if (!o.error) {
            env.out << to_string(l.op) << ": " << (has_result ? std::to_string(o.result) : "done")
                    << "\n";
        }
        if (o.error)
            env.err << "kcall: line " << l.line << ": " << to_string(l.op) << ": "
                    << std::strerror(o.error) << "\n";
    }
    if (n == 0 && !lines->empty())
        env.err << "kcall: batch: no operation ran (" << lines->size() << " not run)\n";
    else if (n < lines->size())
        env.err << "kcall: batch: stopped after line " << (*lines)[n - 1].line << " ("
                << lines->size() - n << " not run; --keep-going runs them)\n";
    return ok ? 0 : 1;
}

}  // namespace kcall::cli
