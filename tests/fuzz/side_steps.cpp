// SPDX-License-Identifier: GPL-2.0-only
// Side steps: what reaches kcall's code other than a request. The stats
// files in sysfs (each against the counters over ioctl), the tracepoint
// (enabled, then its trace read back, which formats kcall's events; a perf
// event on it, which runs its perf handler), stats_reset without
// CAP_SYS_ADMIN, the
// events group (joined and left; every event it delivers is checked), a
// fault armed for the next call (fail-nth), and the pair step.
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/perf_event.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "nl_walk.h"
#include "steps.h"

namespace kcall_fuzz {

namespace {

const char *const kOpNames[kMaxOp + 1] = {
    nullptr,     "goodbye", "showparams", "retparam",    "retpid",
    "taskcount", "message", "stats",      "stats_reset", "version",
};
const char kTrace[] = "/sys/kernel/tracing/";

std::string slurp(const std::string &path, bool *ok)
{
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    std::string out;
    char buf[4096];
    ssize_t n = 0;
    while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0)
        out.append(buf, static_cast<size_t>(n));
    *ok = fd >= 0 && n == 0;
    if (fd >= 0)
        close(fd);
    return out;
}

bool put_file(const std::string &path, const char *v, int flags = O_WRONLY)
{
    const int fd = open(path.c_str(), flags | O_CLOEXEC);
    const bool ok = fd >= 0 && write(fd, v, strlen(v)) == static_cast<ssize_t>(strlen(v));
    if (fd >= 0)
        close(fd);
    return ok;
}

// A stats file against the counters over ioctl, read right before it (no
// call comes between; the ioctl read counts itself after its snapshot).
void sysfs_step(FuzzedDataProvider &in, Context &cx)
{
    const unsigned op = in.ConsumeIntegralInRange<unsigned>(KCALL_CMD_GOODBYE, kMaxOp);
    const bool failures = in.ConsumeBool();
    const std::string path = std::string("/sys/class/misc/kcall/stats/") + kOpNames[op] +
                             (failures ? "_failures" : "_calls");
    Stats::Counters c{};
    const bool compare = cx.stats && cx.dev >= 0 && Stats::read(cx.dev, &c);
    if (compare)
        cx.stats->call(KCALL_CMD_STATS, Counted::yes, false);
    bool ok = false;
    bool injected = false;
    const std::string v = covered(cx, &injected, [&] { return slurp(path, &ok); });
    if (!compare || !ok)
        return;
    const uint64_t want = failures ? c[op].failures : c[op].calls + (op == KCALL_CMD_STATS);
    if (std::strtoull(v.c_str(), nullptr, 10) != want || v.back() != '\n')
        violation("sysfs %s says %s, the stats ioctl %llu", path.c_str(), v.c_str(),
                  static_cast<unsigned long long>(want));
}

// The tracepoint: on or off, and its buffer read back (and emptied).
void trace_step(FuzzedDataProvider &in, Context &cx)
{
    const std::string enable = std::string(kTrace) + "events/kcall/kcall_call/enable";
    bool injected = false;
    if (in.ConsumeBool()) {
        covered(cx, &injected, [&] { return put_file(enable, in.ConsumeBool() ? "1" : "0"); });
        return;
    }
    bool ok = false;
    covered(cx, &injected, [&] { return slurp(std::string(kTrace) + "trace", &ok); });
    put_file(std::string(kTrace) + "trace", "", O_WRONLY | O_TRUNC);
}

// A perf event on the tracepoint, opened or closed: while it is open,
// every call of this thread runs kcall's perf handler of the tracepoint.
void perf_step(Context &cx)
{
    bool injected = false;
    if (cx.perf >= 0) {
        close(cx.perf);
        cx.perf = -1;
        return;
    }
    bool ok = false;
    const std::string id = slurp(std::string(kTrace) + "events/kcall/kcall_call/id", &ok);
    if (!ok)
        return;
    perf_event_attr attr{};
    attr.size = sizeof(attr);
    attr.type = PERF_TYPE_TRACEPOINT;
    attr.config = std::strtoull(id.c_str(), nullptr, 10);
    attr.sample_period = 1;
    attr.sample_type = PERF_SAMPLE_RAW;
    cx.perf = static_cast<int>(covered(cx, &injected, [&] {
        return syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
    }));
}

// stats_reset over both transports from this thread without CAP_SYS_ADMIN
// in its effective set (capabilities are per thread; permitted keeps it,
// so it comes back right after): EPERM on both, as the contract says.
void unprivileged_step(Context &cx)
{
    __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct caps[2] = {};
    if (syscall(SYS_capget, &hdr, caps) != 0 || !(caps[0].effective & (1U << CAP_SYS_ADMIN)))
        return;
    __user_cap_data_struct dropped[2] = {caps[0], caps[1]};
    dropped[0].effective &= ~(1U << CAP_SYS_ADMIN);
    if (syscall(SYS_capset, &hdr, dropped) != 0)
        return;
    Request r;
    r.op = KCALL_CMD_STATS_RESET;
    cx.privileged = false;
    const Answer i = ioctl_call(cx, r);
    const Answer n = netlink_call(cx, r);
    cx.privileged = true;
    if (syscall(SYS_capset, &hdr, caps) != 0)
        violation("capset: cannot restore CAP_SYS_ADMIN: %s", strerrorname_np(errno));
    // (While reloading, the family may be gone: ENOENT.)
    const auto refused = [&](const Answer &a) {
        return !a.answered || a.injected || a.err == EPERM || (cx.reloading && a.err == ENOENT);
    };
    if (!refused(i) || !refused(n))
        violation("stats_reset without CAP_SYS_ADMIN: ioctl %s, netlink %s, want EPERM",
                  i.err ? strerrorname_np(i.err) : "0", n.err ? strerrorname_np(n.err) : "0");
}

// Joins or leaves the events group (kcall's bind callback runs on join).
void listen_step(FuzzedDataProvider &in, Context &cx)
{
    if (cx.listener < 0 || !cx.events_group)
        return;
    const bool join = in.ConsumeBool();
    const int opt = join ? NETLINK_ADD_MEMBERSHIP : NETLINK_DROP_MEMBERSHIP;
    bool injected = false;
    const int r = covered(cx, &injected, [&] {
        return setsockopt(cx.listener, SOL_NETLINK, opt, &cx.events_group, sizeof(cx.events_group));
    });
    if (r == 0)
        cx.listening = join;
}

}  // namespace

void drain_events(Context &cx)
{
    std::vector<char> buf(65536);
    for (;;) {
        ssize_t n = recv(cx.listener, buf.data(), buf.size(), MSG_DONTWAIT);
        if (n <= 0)
            return;  // EAGAIN, or ENOBUFS: events were lost, which is allowed
        for (auto *h = reinterpret_cast<nlmsghdr *>(buf.data()); NLMSG_OK(h, n);
             h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_type != cx.family)
                continue;  // a reloaded module's new family, say
            const auto *g = static_cast<const genlmsghdr *>(NLMSG_DATA(h));
            if (g->cmd != KCALL_CMD_EVENT || g->reserved)
                violation("event: cmd %u reserved %u", g->cmd, g->reserved);
            unsigned seen[KCALL_A_MAX + 1] = {};
            walk(reinterpret_cast<const char *>(g) + GENL_HDRLEN,
                 h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, "event",
                 [&](uint16_t t, const char *p, size_t len) {
                     if (t > KCALL_A_MAX)
                         violation("event: attribute %#x", t);
                     seen[t]++;
                     if (t == KCALL_A_OP && !is_op(value_of<uint32_t>(p, len, 4, "event op")))
                         violation("event: op %u", value_of<uint32_t>(p, len, 4, "event op"));
                     if (t == KCALL_A_TRANSPORT) {
                         const uint32_t tr = value_of<uint32_t>(p, len, 4, "event transport");
                         if (tr != KCALL_EVENT_IOCTL && tr != KCALL_EVENT_NETLINK)
                             violation("event: transport %u", tr);
                     }
                     if (t == KCALL_A_PID || t == KCALL_A_ERRNO)
                         value_of<uint32_t>(p, len, 4, "event pid/errno");
                     if (t == KCALL_A_ARG || t == KCALL_A_RETVAL)
                         value_of<int64_t>(p, len, 8, "event arg/retval");
                     if (t == KCALL_A_COMM &&
                         (len == 0 || len > 16 || p[len - 1] != '\0' || strnlen(p, len) != len - 1))
                         violation("event: comm of %zu bytes", len);
                 });
            for (uint16_t t : {KCALL_A_OP, KCALL_A_TRANSPORT, KCALL_A_PID, KCALL_A_COMM,
                               KCALL_A_ARG, KCALL_A_ERRNO, KCALL_A_RETVAL}) {
                if (seen[t] != 1)
                    violation("event: %u attributes of type %u", seen[t], t);
            }
        }
    }
}

// The debug kernel's module resumes taskcount's walk every N pids when
// told to (walk_resume_every), so that the path that leaves the RCU read
// section runs under the fuzzer too; elsewhere the parameter is absent and
// the write fails, which changes nothing. The read-only parameters are
// read back.
void walk_step(FuzzedDataProvider &in, Context &cx)
{
    static const char *const kEvery[] = {"0", "1", "2", "7"};
    const std::string dir = "/sys/module/kcall/parameters/";
    bool injected = false;
    if (in.ConsumeBool()) {
        covered(cx, &injected,
                [&] { return put_file(dir + "walk_resume_every", in.PickValueInArray(kEvery)); });
        return;
    }
    bool ok = false;
    covered(cx, &injected, [&] { return slurp(dir + "walk_resumes", &ok); });
    // A fact of the build every module has: read it too.
    covered(cx, &injected, [&] { return slurp(dir + "events_join_hook", &ok); });
}

void side_step(FuzzedDataProvider &in, Context &cx)
{
    switch (in.ConsumeIntegralInRange<int>(0, 7)) {
        case 7:
            walk_step(in, cx);
            break;
        case 0:
            sysfs_step(in, cx);
            break;
        case 6:
            unprivileged_step(cx);
            break;
        case 5:
            perf_step(cx);
            break;
        case 1:
            trace_step(in, cx);
            break;
        case 2:
            listen_step(in, cx);
            break;
        case 3:
            drain_events(cx);
            break;
        default:
            if (cx.fail_nth >= 0)
                cx.inject = in.ConsumeIntegralInRange<unsigned>(1, 6);
            break;
    }
}

void pair_step(FuzzedDataProvider &in, Context &cx)
{
    Request r;
    r.op = in.ConsumeIntegralInRange<unsigned>(KCALL_CMD_GOODBYE, kMaxOp);
    r.flags = in.ConsumeIntegralInRange<int>(0, 7) ? 0 : in.ConsumeIntegral<uint32_t>();
    r.arg = consume_arg(in);
    if (r.op == KCALL_CMD_MESSAGE)
        r.text = consume_text(in);
    const Answer i = ioctl_call(cx, r);
    const Answer n = netlink_call(cx, r);
    if (!i.answered || !n.answered || i.injected || n.injected || cx.reloading)
        return;
    if (i.err != n.err)
        violation("pair: op %u (flags %#x arg %d, %zu-byte text): ioctl %s, netlink %s", r.op,
                  r.flags, r.arg, r.text.size(), i.err ? strerrorname_np(i.err) : "0",
                  n.err ? strerrorname_np(n.err) : "0");
    if (i.err || i.value == n.value)
        return;
    // The process count may move between the two calls: only a count
    // that held still on ioctl must be the same over netlink.
    if (r.op == KCALL_CMD_TASKCOUNT && ioctl_call(cx, r).value != i.value)
        return;
    violation("pair: op %u (arg %d): ioctl %lld, netlink %lld", r.op, r.arg,
              static_cast<long long>(i.value), static_cast<long long>(n.value));
}

}  // namespace kcall_fuzz
