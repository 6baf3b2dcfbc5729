// SPDX-License-Identifier: GPL-2.0-only
// The errnos each operation may answer, per transport: the fuzzer's
// reviewed table, derived from docs/SPEC.md and uapi/kcall.h. Changing a row is
// changing the contract: amend docs/SPEC.md (or fix the module) with it, never
// this table alone.
//
// docs/SPEC.md, "Rules that hold for every op":
//  - bad pointer: EFAULT (ioctl; netlink carries no pointers);
//  - reserved fields, unknown flags, malformed or missing netlink
//    attributes: EINVAL;
//  - unknown ioctl numbers: ENOTTY; unknown netlink commands: EOPNOTSUPP;
// "Compatibility": non-zero bytes the module does not know: E2BIG (the
//  size-first ioctl structs; uapi/kcall.h also gives E2BIG for a size
//  above a page);
// "Privileges": stats-reset without CAP_SYS_ADMIN: EPERM;
// the operation table: retparam, retpid, message's length: EINVAL.
// Circumstances the contract adds for everyone (kernel rules, not kcall's):
//  - an allocation that fails: ENOMEM; over netlink ENOBUFS when the
//    socket lost the answer;
//  - netlink NLM_F_DUMP on a command that has no dump: EOPNOTSUPP;
//  - a netlink message that ends inside its genl header, whose genl
//    reserved field is set, or with nlmsg_flags other than request, ack,
//    echo and dump (kcall's family is strict: resv_start_op 0): EINVAL,
//    from genetlink's header check, before it looks at the command;
//  - while the module is unloaded: the family is gone (ENOENT).
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>

#include "oracle.h"

namespace kcall_fuzz {

namespace {

struct Row {
    Transport transport;
    unsigned op;  // 0: not an operation
    std::initializer_list<int> errnos;
};

// clang-format off
const Row kTable[] = {
    {Transport::ioctl, 0,                         {ENOTTY}},
    {Transport::ioctl, KCALL_CMD_GOODBYE,         {0, EFAULT, EINVAL, E2BIG}},
    {Transport::ioctl, KCALL_CMD_SHOWPARAMS,      {0, EFAULT, EINVAL, E2BIG}},
    {Transport::ioctl, KCALL_CMD_RETPARAM,        {0, EFAULT, EINVAL, E2BIG}},
    {Transport::ioctl, KCALL_CMD_RETPID,          {0, EFAULT, EINVAL, E2BIG}},
    {Transport::ioctl, KCALL_CMD_TASKCOUNT,       {0, EFAULT, EINVAL, E2BIG}},
    {Transport::ioctl, KCALL_CMD_MESSAGE,         {0, EFAULT, EINVAL, E2BIG}},
    {Transport::ioctl, KCALL_CMD_STATS,           {0, EFAULT, EINVAL, E2BIG}},
    {Transport::ioctl, KCALL_CMD_STATS_RESET,     {0, EFAULT, EINVAL, E2BIG, EPERM}},
    {Transport::ioctl, KCALL_CMD_VERSION,         {0, EFAULT, EINVAL, E2BIG}},
    {Transport::netlink, 0,                       {EOPNOTSUPP}},
    {Transport::netlink, KCALL_CMD_GOODBYE,       {0, EINVAL}},
    {Transport::netlink, KCALL_CMD_SHOWPARAMS,    {0, EINVAL}},
    {Transport::netlink, KCALL_CMD_RETPARAM,      {0, EINVAL}},
    {Transport::netlink, KCALL_CMD_RETPID,        {0, EINVAL}},
    {Transport::netlink, KCALL_CMD_TASKCOUNT,     {0, EINVAL}},
    {Transport::netlink, KCALL_CMD_MESSAGE,       {0, EINVAL}},
    {Transport::netlink, KCALL_CMD_STATS,         {0, EINVAL}},
    {Transport::netlink, KCALL_CMD_STATS_RESET,   {0, EINVAL, EPERM}},
    {Transport::netlink, KCALL_CMD_VERSION,       {0, EINVAL}},
};
// clang-format on

const Row *row(Transport t, unsigned op)
{
    for (const Row &r : kTable) {
        if (r.transport == t && r.op == (is_op(op) ? op : 0))
            return &r;
    }
    return nullptr;
}

const char *name(int err)
{
    return err ? strerrorname_np(err) : "0";
}

}  // namespace

void violation(const char *fmt, ...)
{
    va_list va;
    va_start(va, fmt);
    std::fprintf(stderr, "kcall_kfuzz: ORACLE VIOLATION: ");
    // va_start is right above: clang 14's analyzer loses it across the
    // fprintf (a known false positive).
    std::vfprintf(stderr, fmt, va);  // NOLINT(clang-analyzer-valist.Uninitialized)
    std::fprintf(stderr, "\n");
    va_end(va);
    std::abort();
}

std::string allowed_errnos(Transport t, unsigned op)
{
    std::string out;
    const Row *r = row(t, op);
    for (int e : r ? r->errnos : std::initializer_list<int>{})
        out += (out.empty() ? "" : " ") + std::string(name(e));
    return out;
}

void check_errno(Transport t, unsigned op, int err, const Circumstances &c, const char *what)
{
    const Row *r = row(t, op);
    for (int e : r ? r->errnos : std::initializer_list<int>{}) {
        if (e == err)
            return;
    }
    if (c.injected && (err == ENOMEM || (t == Transport::netlink && err == ENOBUFS)))
        return;
    if (c.dump && t == Transport::netlink && err == EOPNOTSUPP)
        return;
    if (c.bad_header && t == Transport::netlink && err == EINVAL)
        return;
    // Unloaded under the call: the family is gone. (Its id is not
    // reused at once: genl allocates ids cyclically.)
    if (c.reloading && t == Transport::netlink && err == ENOENT)
        return;
    violation("%s: %s op %u answered %s; the table allows: %s", what,
              t == Transport::ioctl ? "ioctl" : "netlink", op, name(err),
              allowed_errnos(t, op).c_str());
}

}  // namespace kcall_fuzz
