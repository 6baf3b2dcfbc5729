// SPDX-License-Identifier: MIT
// What the kcall CLI's parser fills (Options) and what a subcommand's run
// talks to (Env): CLI11's subcom_in_files layout, one setup_X and one
// run_X per subcommand (subcommands.hpp).
#pragma once

#include <istream>
#include <ostream>
#include <string>

#include "cli.hpp"

namespace kcall::cli {

// Every option and argument of every subcommand. Integers stay strings
// until their subcommand runs: kcall(1)'s integers are decimal or 0x hex
// (parse_integer), never CLI11's octal.
struct Options {
    // Global, before or after the subcommand.
    Transport transport = Transport::automatic;
    bool json = false;
    // showparams VALUE, retparam VALUE.
    std::string value;
    // retpid WHICH: self, parent or a number.
    std::string which;
    // message TEXT.
    std::string text;
    // batch [-k] [FILE].
    std::string batch_file = "-";
    bool keep_going = false;
    // monitor [--count N] [--timeout SECONDS]: 0 or empty is never.
    std::string count;
    std::string timeout;
};

// The world of one run: its streams, how it opens a client or an event
// source, and the exit status the subcommand's run left.
struct Env {
    std::ostream &out;
    std::ostream &err;
    std::istream &in;
    const ClientFactory &open_client;
    const EventSourceFactory &open_events;
    int status = 0;
};

}  // namespace kcall::cli
