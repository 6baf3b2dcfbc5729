// SPDX-License-Identifier: GPL-2.0-only
// Runs a shell command line from a test and keeps what it printed.
#pragma once

#include <string>

namespace kcall_test {

struct CmdResult {
    int status = -1;     // exit status, -1 when it did not exit normally
    std::string output;  // stdout and stderr, interleaved
};

// "exec" runs the program in place of the shell: it is our direct child.
CmdResult run_command(const std::string &cmd);

}  // namespace kcall_test
