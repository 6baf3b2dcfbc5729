// SPDX-License-Identifier: GPL-2.0-only
#include "proc_util.h"

#include <dirent.h>

#include <cctype>
#include <fstream>

namespace kcall_test {

int64_t count_proc_processes()
{
    DIR *dir = opendir("/proc");
    if (!dir)
        return -1;
    int64_t n = 0;
    while (const dirent *e = readdir(dir)) {
        const char *p = e->d_name;
        while (*p && std::isdigit(static_cast<unsigned char>(*p)))
            p++;
        if (*p == '\0' && p != e->d_name)
            n++;
    }
    closedir(dir);
    return n;
}

std::string self_comm()
{
    std::ifstream in("/proc/self/comm");
    std::string comm;
    std::getline(in, comm);
    return comm;
}

}  // namespace kcall_test
