// SPDX-License-Identifier: GPL-2.0-only
// The "events" multicast group: a subscriber sees one event per call, from
// both transports, with the caller, argument and result; joining it needs
// CAP_SYS_ADMIN.
#include <gtest/gtest.h>

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <kcall.h>

#include "kcall/kcall.h"

#include "kcall/kcall.hpp"
#include "privilege.h"
#include "transport.h"

namespace kcall_test {
namespace {

// Events of this process until n arrived or none came for a second.
std::vector<kcall::Event> own_events(kcall::Monitor &m, size_t n)
{
    std::vector<kcall::Event> out;
    while (out.size() < n) {
        auto e = m.next(1000);
        if (!e)
            break;
        if (e->pid == getpid())
            out.push_back(*e);
    }
    return out;
}

TEST(Events, SubscriberSeesItsOwnCallsFromBothTransports)
{
    auto m = kcall::Monitor::open();
    ASSERT_TRUE(m) << m.error().what();
    auto ioctl = make_ioctl_transport();
    auto netlink = make_netlink_transport();
    ASSERT_EQ(ioctl->call(kcall::Op::retparam, 5).err, 0);
    ASSERT_EQ(netlink->call(kcall::Op::retparam, 4096).err, EINVAL);
    ASSERT_EQ(netlink->message("four").err, 0);
    ASSERT_EQ(ioctl->call(kcall::Op::taskcount, 0).err, 0);

    const auto ev = own_events(*m, 4);
    ASSERT_EQ(ev.size(), 4U);
    EXPECT_EQ(ev[0].op, static_cast<uint32_t>(KCALL_CMD_RETPARAM));
    EXPECT_EQ(ev[0].transport, kcall::Transport::ioctl);
    EXPECT_EQ(ev[0].arg, 5);
    EXPECT_EQ(ev[0].error, 0);
    EXPECT_EQ(ev[0].result, 5);
    EXPECT_EQ(ev[1].transport, kcall::Transport::netlink);
    EXPECT_EQ(ev[1].arg, 4096);
    EXPECT_EQ(ev[1].error, EINVAL);
    EXPECT_EQ(ev[2].op, static_cast<uint32_t>(KCALL_CMD_MESSAGE));
    EXPECT_EQ(ev[2].arg, 4);  // the text's length
    EXPECT_EQ(ev[3].op, static_cast<uint32_t>(KCALL_CMD_TASKCOUNT));
    EXPECT_GT(ev[3].result, 0);
    for (const auto &e : ev)
        EXPECT_FALSE(e.comm.empty());
}

TEST(Events, NothingArrivesWithoutCalls)
{
    auto m = kcall::Monitor::open();
    ASSERT_TRUE(m) << m.error().what();
    auto e = m->next(300);
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().code, ETIMEDOUT);
}

TEST(Events, JoiningNeedsCapSysAdmin)
{
    const std::string got = run_with(Privilege::nobody, [] {
        auto m = kcall::Monitor::open();
        return m ? std::string("joined") : std::string(std::strerror(m.error().code));
    });
    EXPECT_EQ(got, std::strerror(EPERM));
}

TEST(Events, CApiMonitor)
{
    kcall_monitor *m = kcall_monitor_open();
    ASSERT_NE(m, nullptr) << std::strerror(errno);
    kcall_handle *h = kcall_open(KCALL_TRANSPORT_IOCTL);
    ASSERT_NE(h, nullptr);
    ASSERT_EQ(kcall_h_retparam(h, 9), 9);
    struct kcall_event ev {};
    int rc = 0;
    do {
        rc = kcall_monitor_next(m, &ev, 1000);
    } while (rc == 0 && ev.pid != getpid());
    ASSERT_EQ(rc, 0) << std::strerror(errno);
    EXPECT_STREQ(kcall_op_name(ev.op), "retparam");
    EXPECT_EQ(ev.transport, KCALL_TRANSPORT_IOCTL);
    EXPECT_EQ(ev.result, 9);
    kcall_close(h);
    kcall_monitor_close(m);
}

// The monitor's fd is for poll(): not readable while nothing happened,
// readable once a call was made, and next(0) then returns without waiting.
TEST(Events, MonitorFdWorksWithPoll)
{
    auto m = kcall::Monitor::open();
    ASSERT_TRUE(m) << m.error().what();
    kcall_monitor *cm = kcall_monitor_open();
    ASSERT_NE(cm, nullptr) << std::strerror(errno);
    // Drain what other processes may have caused.
    while (m->next(0)) {
    }
    pollfd p{m->fd(), POLLIN, 0};
    pollfd cp{kcall_monitor_fd(cm), POLLIN, 0};
    ASSERT_GE(p.fd, 0);
    ASSERT_GE(cp.fd, 0);
    EXPECT_NE(p.fd, cp.fd);
    kcall_handle *h = kcall_open(KCALL_TRANSPORT_NETLINK);
    ASSERT_NE(h, nullptr);
    ASSERT_EQ(kcall_h_retparam(h, 3), 3);
    ASSERT_EQ(poll(&p, 1, 2000), 1);
    EXPECT_TRUE(p.revents & POLLIN);
    ASSERT_EQ(poll(&cp, 1, 2000), 1);
    bool mine = false;
    while (auto e = m->next(0))
        mine = mine || (e->pid == getpid() && e->result == 3);
    EXPECT_TRUE(mine);
    EXPECT_EQ(kcall_monitor_fd(nullptr), -1);
    EXPECT_EQ(errno, EINVAL);
    kcall_close(h);
    kcall_monitor_close(cm);
}

}  // namespace
}  // namespace kcall_test
