// SPDX-License-Identifier: GPL-2.0-only
// What every local user and every container can and cannot do: the one
// privilege check of stats_reset on both transports (with the opener of a
// passed descriptor checked too), events that never cross into another
// namespace or mislabel a pid, the bound on an argument struct's size, and
// results the caller never got counted as failures.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <linux/netlink.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <kcall.h>

#include "foreign_listener.h"
#include "kcall/kcall.hpp"
#include "kcall_dev.h"
#include "privilege.h"
#include "raw_genl.h"

namespace kcall_test {
namespace {

using namespace std::chrono_literals;

std::string name(int err)
{
    return err ? strerrorname_np(err) : "0";
}

// stats_reset on both transports from this process: "ioctl=X netlink=Y".
std::string reset_both()
{
    Device dev;
    RawGenl nl;
    if (!dev.ok() || !nl.ok())
        return "cannot open the transports";
    auto a = zeroed<struct kcall_stats_reset>();
    const int ierr = dev.call(KCALL_IOC_STATS_RESET, &a);
    return "ioctl=" + name(ierr) + " netlink=" + name(nl.call(KCALL_CMD_STATS_RESET, {}));
}

TEST(Privilege, CapSysAdminAloneResetsOnBothTransports)
{
    EXPECT_EQ(run_with(Privilege::only_sys_admin, reset_both), "ioctl=0 netlink=0");
}

TEST(Privilege, CapNetAdminAloneIsRefusedOnBothTransports)
{
    EXPECT_EQ(run_with(Privilege::only_net_admin, reset_both), "ioctl=EPERM netlink=EPERM");
}

// Both refusals come from the core's one check, so both are counted.
TEST(Privilege, RefusalsAreCountedAlikeOnBothTransports)
{
    const kcall_op_stats before = op_counters(KCALL_CMD_STATS_RESET);
    ASSERT_EQ(run_with(Privilege::nobody, reset_both), "ioctl=EPERM netlink=EPERM");
    const kcall_op_stats after = op_counters(KCALL_CMD_STATS_RESET);
    EXPECT_EQ(after.calls - before.calls, 2U);
    EXPECT_EQ(after.failures - before.failures, 2U);
}

// Receives one descriptor over a unix socket.
int receive_fd(int sock)
{
    char byte;
    iovec iov{&byte, 1};
    alignas(cmsghdr) char ctl[CMSG_SPACE(sizeof(int))];
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = ctl;
    msg.msg_controllen = sizeof(ctl);
    if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
        return -1;
    const cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if (!c || c->cmsg_type != SCM_RIGHTS)
        return -1;
    int fd;
    std::memcpy(&fd, CMSG_DATA(c), sizeof(fd));
    return fd;
}

bool send_fd(int sock, int fd)
{
    char byte = 0;
    iovec iov{&byte, 1};
    alignas(cmsghdr) char ctl[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = ctl;
    msg.msg_controllen = sizeof(ctl);
    cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &fd, sizeof(fd));
    return sendmsg(sock, &msg, 0) == 1;
}

// A descriptor an unprivileged process opened and passed to root does not
// carry root's privilege: the opener must hold CAP_SYS_ADMIN too (as
// netlink_capable() demands, CVE-2014-0181), on both transports.
TEST(Privilege, DescriptorsOpenedByAnUnprivilegedProcessCannotReset)
{
    int sv[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        close(sv[0]);
        const std::string sent = run_with(Privilege::nobody, [&] {
            const int dev = open("/dev/" KCALL_DEVICE_NAME, O_RDWR | O_CLOEXEC);
            const int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
            return dev >= 0 && nl >= 0 && send_fd(sv[1], dev) && send_fd(sv[1], nl)
                       ? std::string("sent")
                       : std::string("cannot open or send");
        });
        _exit(sent == "sent" ? 0 : 1);
    }
    close(sv[1]);
    const int dev = receive_fd(sv[0]);
    const int nl = receive_fd(sv[0]);
    close(sv[0]);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ASSERT_GE(dev, 0);
    ASSERT_GE(nl, 0);

    auto a = zeroed<struct kcall_stats_reset>();
    EXPECT_EQ(ioctl(dev, KCALL_IOC_STATS_RESET, &a) == 0 ? 0 : errno, EPERM) << "ioctl";
    close(dev);
    RawGenl passed(nl);  // owns nl now
    ASSERT_TRUE(passed.ok());
    EXPECT_EQ(passed.call(KCALL_CMD_STATS_RESET, {}), EPERM) << "netlink";
    // The same calls through root's own descriptors succeed.
    EXPECT_EQ(reset_both(), "ioctl=0 netlink=0");
}

// A caller in its own pid namespace (on the host's network) is named by
// its pid in the initial namespace, never as "pid 1".
TEST(EventNamespaces, CallerInAnotherPidNamespaceIsNamedByItsHostPid)
{
    auto m = kcall::Monitor::open();
    ASSERT_TRUE(m) << m.error().what();
    const std::string got = run_with(Privilege::unchanged, [] {
        if (unshare(CLONE_NEWPID) != 0)
            return std::string("unshare: ") + std::strerror(errno);
        const pid_t inner = fork();  // pid 1 of the new namespace
        if (inner == 0) {
            Device dev;
            auto a = zeroed<struct kcall_retparam>();
            a.value = 777;
            _exit(dev.call(KCALL_IOC_RETPARAM, &a) == 0 && getpid() == 1 ? 0 : 1);
        }
        int status = 0;
        waitpid(inner, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            return std::string("inner call failed");
        return std::to_string(inner);
    });
    const pid_t host_pid = std::atoi(got.c_str());
    ASSERT_GT(host_pid, 1) << got;
    bool seen = false;
    for (int i = 0; i < 50 && !seen; i++) {
        auto e = m->next(1000);
        if (!e)
            break;
        if (e->op == KCALL_CMD_RETPARAM && e->arg == 777) {
            EXPECT_EQ(e->pid, host_pid) << "the event names the caller by its namespace pid";
            seen = true;
        }
    }
    EXPECT_TRUE(seen) << "no event for the call";
}

// Calls on both transports from this process: 0 or the first errno.
int call_both(int value)
{
    Device dev;
    RawGenl nl;
    auto a = zeroed<struct kcall_retparam>();
    a.value = value;
    int32_t res = 0;
    const int ierr = dev.call(KCALL_IOC_RETPARAM, &a);
    const int nerr = nl.ok() ? nl.retparam(value, &res) : ENOENT;
    return ierr ? ierr : nerr;
}

// A listener in another network namespace gets nothing: neither the host's
// calls nor those of a host process that entered its namespace (whose
// event would name a host pid and comm there).
TEST(EventNamespaces, ListenerInAnotherNetworkNamespaceGetsNothing)
{
    ForeignListener listener(3000);
    ASSERT_EQ(listener.error(), "");
    EXPECT_EQ(call_both(11), 0) << "host call";
    const std::string entered = run_with(Privilege::unchanged, [&] {
        const std::string ns = "/proc/" + std::to_string(listener.pid()) + "/ns/net";
        const int fd = open(ns.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0 || setns(fd, CLONE_NEWNET) != 0)
            return std::string("setns: ") + std::strerror(errno);
        return "call=" + name(call_both(12));
    });
    EXPECT_EQ(entered, "call=0");
    EXPECT_EQ(listener.result(), "events=0");
}

// Argument structs are refused above a page before user memory is read:
// a size of 4 GiB would otherwise make the kernel scan that much for
// non-zero bytes.
TEST(IoctlSize, SizesAboveAPageAreRefusedBeforeReadingMemory)
{
    const long page = sysconf(_SC_PAGESIZE);
    auto *mem = static_cast<char *>(
        mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    ASSERT_NE(mem, MAP_FAILED);
    Device dev;
    auto *arg = reinterpret_cast<struct kcall_retparam *>(mem);
    arg->value = 3;
    // A whole page of zeros beyond the struct is fine...
    arg->size = static_cast<uint32_t>(page);
    EXPECT_EQ(dev.ioctl(KCALL_IOC_RETPARAM, arg), 0);
    EXPECT_EQ(arg->result, 3);
    // ...one byte more is not, though it is mapped and zero...
    arg->size = static_cast<uint32_t>(page + 1);
    EXPECT_EQ(dev.ioctl(KCALL_IOC_RETPARAM, arg), E2BIG);
    // ...and neither is 4 GiB with nothing mapped past one page.
    ASSERT_EQ(munmap(mem + page, page), 0);
    arg->size = 0xffffffffU;
    EXPECT_EQ(dev.ioctl(KCALL_IOC_RETPARAM, arg), E2BIG);
    munmap(mem, page);
}

// A page the kernel can read but not write.
class ReadOnlyPage {
public:
    ReadOnlyPage()
        : page_(sysconf(_SC_PAGESIZE)),
          mem_(mmap(nullptr, page_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
    {
    }
    ~ReadOnlyPage()
    {
        if (mem_ != MAP_FAILED)
            munmap(mem_, page_);
    }
    ReadOnlyPage(const ReadOnlyPage &) = delete;
    ReadOnlyPage &operator=(const ReadOnlyPage &) = delete;
    bool ok() const { return mem_ != MAP_FAILED; }
    template <typename T>
    T *as() const
    {
        return static_cast<T *>(mem_);
    }
    bool seal() const { return mprotect(mem_, page_, PROT_READ) == 0; }

private:
    long page_;
    void *mem_;
};

// The operation ran but its result never reached the caller: that call
// failed, for the counters and for the event alike.
TEST(Accounting, FailedCopyOutCountsAsAFailure)
{
    auto m = kcall::Monitor::open();
    ASSERT_TRUE(m) << m.error().what();
    Device dev;

    ReadOnlyPage entries;
    ASSERT_TRUE(entries.ok());
    ASSERT_TRUE(entries.seal());
    const kcall_op_stats stats_before = op_counters(KCALL_CMD_STATS);
    auto s = zeroed<struct kcall_stats>();
    s.entries = reinterpret_cast<uintptr_t>(entries.as<struct kcall_op_stats>());
    s.nr_entries = 4;
    EXPECT_EQ(dev.call(KCALL_IOC_STATS, &s), EFAULT);
    const kcall_op_stats stats_after = op_counters(KCALL_CMD_STATS);
    // The first op_counters() call counts once after its own snapshot.
    EXPECT_EQ(stats_after.calls - stats_before.calls, 2U);
    EXPECT_EQ(stats_after.failures - stats_before.failures, 1U);

    ReadOnlyPage arg;
    ASSERT_TRUE(arg.ok());
    auto *r = arg.as<struct kcall_retparam>();
    *r = zeroed<struct kcall_retparam>();
    r->value = 321;
    ASSERT_TRUE(arg.seal());
    const kcall_op_stats before = op_counters(KCALL_CMD_RETPARAM);
    EXPECT_EQ(dev.ioctl(KCALL_IOC_RETPARAM, r), EFAULT);
    const kcall_op_stats after = op_counters(KCALL_CMD_RETPARAM);
    EXPECT_EQ(after.calls - before.calls, 1U);
    EXPECT_EQ(after.failures - before.failures, 1U);

    // The events say so too.
    int seen = 0;
    for (int i = 0; i < 50 && seen < 2; i++) {
        auto e = m->next(1000);
        if (!e)
            break;
        if (e->pid != getpid())
            continue;
        if (e->op == KCALL_CMD_RETPARAM && e->arg == 321) {
            EXPECT_EQ(e->error, EFAULT);
            seen++;
        }
        if (e->op == KCALL_CMD_STATS && e->error != 0) {
            EXPECT_EQ(e->error, EFAULT);
            seen++;
        }
    }
    EXPECT_EQ(seen, 2) << "events of the two failed copy-outs";
}

}  // namespace
}  // namespace kcall_test
