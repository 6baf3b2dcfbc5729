// SPDX-License-Identifier: GPL-2.0-only
#include "command.h"

#include <sys/wait.h>

#include <cstdio>

namespace kcall_test {

CmdResult run_command(const std::string &cmd)
{
    CmdResult r;
    FILE *p = popen(("exec " + cmd + " 2>&1").c_str(), "r");
    if (!p)
        return r;
    char buf[1024];
    while (fgets(buf, sizeof(buf), p))
        r.output += buf;
    const int st = pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

}  // namespace kcall_test
