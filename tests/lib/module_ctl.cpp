// SPDX-License-Identifier: GPL-2.0-only
#include "module_ctl.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

#include <kcall.h>

namespace kcall_test {

using namespace std::chrono_literals;

bool module_loaded()
{
    struct stat st {};
    return stat("/dev/" KCALL_DEVICE_NAME, &st) == 0 && S_ISCHR(st.st_mode);
}

int delete_module_nonblock()
{
    return syscall(SYS_delete_module, "kcall", O_NONBLOCK) == 0 ? 0 : errno;
}

bool unload_refused_while_busy(int err)
{
    return err == EWOULDBLOCK || err == EBUSY || err == EAGAIN;
}

int delete_module_retrying(std::chrono::milliseconds within, long *busy)
{
    const auto until = std::chrono::steady_clock::now() + within;
    for (;;) {
        const int err = delete_module_nonblock();
        if (!unload_refused_while_busy(err) || std::chrono::steady_clock::now() >= until)
            return err;
        ++*busy;
        std::this_thread::sleep_for(1ms);
    }
}

int finit_module_path(const std::string &path)
{
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    const int err = syscall(SYS_finit_module, fd, "", 0) == 0 ? 0 : errno;
    close(fd);
    return err;
}

int load_and_wait(const std::string &path)
{
    if (const int err = finit_module_path(path))
        return err;
    for (int i = 0; i < 200 && !module_loaded(); i++)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return module_loaded() ? 0 : ETIMEDOUT;
}

}  // namespace kcall_test
