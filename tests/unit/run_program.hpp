// SPDX-License-Identifier: GPL-2.0-only
// Runs a test program to its end: its exit status and everything it wrote.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace kcall_test {

struct ProgramRun {
    int status = -1;     // as waitpid() reports it
    std::string output;  // stdout and stderr
};

// command runs under sh, killed after 30 s: a sanitizer report with threads
// still running can hang the dying process, and a hang is a failure too.
inline ProgramRun run_program(const std::string &command)
{
    ProgramRun run;
    FILE *p = popen(("timeout -s KILL 30 " + command + " 2>&1").c_str(), "r");
    if (!p)
        return run;
    std::array<char, 4096> buf{};
    size_t n = 0;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0)
        run.output.append(buf.data(), n);
    run.status = pclose(p);
    return run;
}

// Whether the run exited with status 0 and no sanitizer report.
inline bool clean_exit(const ProgramRun &run)
{
    return WIFEXITED(run.status) && WEXITSTATUS(run.status) == 0 &&
           run.output.find("Sanitizer") == std::string::npos;
}

}  // namespace kcall_test
