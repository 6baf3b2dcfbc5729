// SPDX-License-Identifier: MIT
// The kcall CLI's subcommands. setup_X adds subcommand X to the app, its
// options bound to opt, and a callback that stores run_X's exit status in
// env.status. run_X throws CLI::ValidationError for a usage error found
// after parsing (a bad integer, say): run() reports it as CLI11's own.
#pragma once

#include <CLI/CLI.hpp>

#include "options.hpp"

namespace kcall::cli {

using RunFn = int (*)(const Options &opt, Env &env);

// Adds subcommand name, whose callback stores run(opt, env) in env.status.
CLI::App *add_subcommand(CLI::App &app, const std::string &name, const std::string &description,
                         RunFn run, Options &opt, Env &env);

// One operation, one call (calls.cpp).
void setup_goodbye(CLI::App &app, Options &opt, Env &env);
void setup_showparams(CLI::App &app, Options &opt, Env &env);
void setup_retparam(CLI::App &app, Options &opt, Env &env);
void setup_retpid(CLI::App &app, Options &opt, Env &env);
void setup_taskcount(CLI::App &app, Options &opt, Env &env);
void setup_message(CLI::App &app, Options &opt, Env &env);
void setup_stats(CLI::App &app, Options &opt, Env &env);
void setup_stats_reset(CLI::App &app, Options &opt, Env &env);
void setup_version(CLI::App &app, Options &opt, Env &env);
int run_goodbye(const Options &opt, Env &env);
int run_showparams(const Options &opt, Env &env);
int run_retparam(const Options &opt, Env &env);
int run_retpid(const Options &opt, Env &env);
int run_taskcount(const Options &opt, Env &env);
int run_message(const Options &opt, Env &env);
int run_stats(const Options &opt, Env &env);
int run_stats_reset(const Options &opt, Env &env);
int run_version(const Options &opt, Env &env);

// Operations read from a file, run as one batch (batch_command.cpp).
void setup_batch(CLI::App &app, Options &opt, Env &env);
int run_batch(const Options &opt, Env &env);

// Events as they come (monitor_command.cpp).
void setup_monitor(CLI::App &app, Options &opt, Env &env);
int run_monitor(const Options &opt, Env &env);

}  // namespace kcall::cli
