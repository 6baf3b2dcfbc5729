// SPDX-License-Identifier: GPL-2.0-only
// Batches (uapi/kcall.h), over either transport: records of every kind —
// the one-int operations with interesting arguments and flags, the
// operations a batch cannot carry, numbers that name nothing — with or
// without KCALL_BATCH_CONTINUE, now and then too many or unreadable. A
// well-formed batch must run its records in order and stop exactly where
// the contract says, each record's errno and result those of the single
// call (the model), and the counters move by exactly the records that ran.
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "nl_walk.h"
#include "steps.h"

namespace kcall_fuzz {

bool batchable(uint32_t op)
{
    switch (op) {
        case KCALL_CMD_GOODBYE:
        case KCALL_CMD_SHOWPARAMS:
        case KCALL_CMD_RETPARAM:
        case KCALL_CMD_RETPID:
        case KCALL_CMD_TASKCOUNT:
        case KCALL_CMD_STATS_RESET:
            return true;
        default:
            return false;
    }
}

namespace {

struct Rec {
    uint32_t op = 0;
    uint32_t flags = 0;
    int32_t arg = 0;
};

struct Outcome {
    uint32_t op = 0;
    int err = 0;  // positive errno
    int64_t result = 0;
};

Rec consume_rec(FuzzedDataProvider &in)
{
    static const uint32_t kOps[] = {KCALL_CMD_GOODBYE, KCALL_CMD_SHOWPARAMS, KCALL_CMD_RETPARAM,
                                    KCALL_CMD_RETPID,  KCALL_CMD_TASKCOUNT,  KCALL_CMD_STATS_RESET,
                                    KCALL_CMD_MESSAGE, KCALL_CMD_STATS,      KCALL_CMD_VERSION,
                                    KCALL_CMD_EVENT,   KCALL_CMD_BATCH,      0};
    Rec r;
    r.op = in.ConsumeIntegralInRange(0, 15) ? in.PickValueInArray(kOps)
                                            : in.ConsumeIntegral<uint32_t>();
    // Often enough that every operation's flags check fails in a batch.
    if (!in.ConsumeIntegralInRange(0, 3))
        r.flags = in.ConsumeIntegral<uint32_t>() | 1;
    if (r.op == KCALL_CMD_SHOWPARAMS || r.op == KCALL_CMD_RETPARAM || r.op == KCALL_CMD_RETPID ||
        !in.ConsumeIntegralInRange(0, 7))
        r.arg = consume_arg(in);
    return r;
}

// What a well-formed batch of these records answers: the outcomes of the
// records that run.
std::vector<Outcome> expected(const std::vector<Rec> &recs, bool keep_going, bool privileged)
{
    std::vector<Outcome> out;
    for (const Rec &r : recs) {
        Outcome o{r.op, EOPNOTSUPP, 0};
        if (batchable(r.op)) {
            Request q;
            q.op = r.op;
            q.flags = r.flags;
            q.arg = r.op == KCALL_CMD_SHOWPARAMS || r.op == KCALL_CMD_RETPARAM ||
                            r.op == KCALL_CMD_RETPID
                        ? r.arg
                        : 0;
            o.err = expected_err(q, privileged);
        }
        out.push_back(o);
        if (o.err && !keep_going)
            break;
    }
    return out;
}

void check_outcomes(const std::vector<Rec> &recs, const std::vector<Outcome> &got, bool keep_going,
                    bool privileged, const char *what)
{
    const auto want = expected(recs, keep_going, privileged);
    if (got.size() != want.size())
        violation("%s: %zu of %zu records ran, the contract says %zu", what, got.size(),
                  recs.size(), want.size());
    for (size_t i = 0; i < got.size(); i++) {
        if (got[i].op != want[i].op || got[i].err != want[i].err)
            violation("%s: record %zu (op %u flags %#x arg %d): errno %d, the contract says %d",
                      what, i, recs[i].op, recs[i].flags, recs[i].arg, got[i].err, want[i].err);
        Request q;
        q.op = recs[i].op;
        q.arg = recs[i].arg;
        if (!got[i].err)
            check_value(q, got[i].result, what);
        else if (got[i].result)
            violation("%s: record %zu failed with result %lld", what, i,
                      static_cast<long long>(got[i].result));
    }
}

// The counters: every record that ran of an operation a batch carries,
// with its outcome; unknown when the batch was cut short by a fault.
void count(Context &cx, const std::vector<Rec> &recs, const std::vector<Outcome> *ran, bool certain)
{
    if (!cx.stats)
        return;
    bool reset = false;
    if (!certain) {
        for (const Rec &r : recs) {
            if (batchable(r.op))
                cx.stats->call(r.op, Counted::unknown, true);
            reset = reset || r.op == KCALL_CMD_STATS_RESET;
        }
    }
    for (const Outcome &o : certain ? *ran : std::vector<Outcome>{}) {
        if (!batchable(o.op))
            continue;
        cx.stats->call(o.op, Counted::yes, o.err != 0);
        reset = reset || (o.op == KCALL_CMD_STATS_RESET && !o.err);
    }
    // A reset inside a batch: records are counted after their chunk ran,
    // so some before the reset count after it. Start again from now.
    Stats::Counters now{};
    if (reset && cx.dev >= 0 && Stats::read(cx.dev, &now))
        cx.stats->begin(now);
}

void ioctl_batch(Context &cx, std::vector<Rec> &recs, uint32_t flags, bool bad_pointer,
                 bool well_formed)
{
    if (cx.dev < 0)
        return;
    std::vector<kcall_batch_op> raw(recs.size());
    for (size_t i = 0; i < recs.size(); i++) {
        raw[i] = {recs[i].op, recs[i].flags, recs[i].arg, 12345, -7};
    }
    struct kcall_batch b {};
    b.size = sizeof(b);
    b.flags = flags;
    b.ops = bad_pointer ? 8 : reinterpret_cast<uintptr_t>(raw.data());
    b.nr_ops = static_cast<uint32_t>(recs.size());
    bool injected = false;
    const int rc = covered(cx, &injected, [&] { return ioctl(cx.dev, KCALL_IOC_BATCH, &b); });
    const int err = rc == 0 ? 0 : errno;
    const char *what = "batch (ioctl)";
    if (err != 0 && err != EFAULT && err != EINVAL && err != E2BIG && !cx.reloading)
        violation("%s: errno %d", what, err);
    if (err == EINVAL || err == E2BIG)
        return;  // refused before any record ran
    if (!well_formed || injected || cx.reloading) {
        count(cx, recs, nullptr, false);
        return;
    }
    if (bad_pointer) {
        if (err != EFAULT || b.nr_ops != 0)
            violation("%s: unreadable records answered %d, %u ran", what, err, b.nr_ops);
        return;  // none ran
    }
    if (err)
        violation("%s: a well-formed batch answered errno %d", what, err);
    std::vector<Outcome> got;
    for (uint32_t i = 0; i < b.nr_ops && i < raw.size(); i++)
        got.push_back({raw[i].op, -raw[i].error, raw[i].result});
    for (size_t i = b.nr_ops; i < raw.size(); i++)
        if (raw[i].error != 12345 || raw[i].result != -7)
            violation("%s: record %zu was written but did not run", what, i);
    check_outcomes(recs, got, flags & KCALL_BATCH_CONTINUE, cx.privileged, what);
    count(cx, recs, &got, true);
}

// malformed: a record index whose nest lacks its op (kind 1) or carries a
// reply attribute (kind 2), -1 for none.
void netlink_batch(Context &cx, const std::vector<Rec> &recs, uint32_t flags, bool with_flags,
                   bool well_formed, int malformed, int kind)
{
    if (!cx.family)
        return;
    std::vector<char> m(NLMSG_HDRLEN + GENL_HDRLEN, 0);
    if (with_flags)
        put_attr(m, KCALL_A_FLAGS, &flags, sizeof(flags));
    for (size_t i = 0; i < recs.size(); i++) {
        const Rec &r = recs[i];
        std::vector<char> nest;
        const bool bad = static_cast<int>(i) == malformed;
        if (!bad || kind != 1)
            put_attr(nest, KCALL_BATCH_OP_A_OP, &r.op, sizeof(r.op));
        if (bad && kind == 2) {
            const uint32_t zero = 0;
            put_attr(nest, KCALL_BATCH_OP_A_ERRNO, &zero, sizeof(zero));
        }
        if (r.flags)
            put_attr(nest, KCALL_BATCH_OP_A_FLAGS, &r.flags, sizeof(r.flags));
        put_attr(nest, KCALL_BATCH_OP_A_ARG, &r.arg, sizeof(r.arg));
        put_attr(m, KCALL_A_BATCH_OP | NLA_F_NESTED, nest.data(), nest.size());
    }
    auto *h = reinterpret_cast<nlmsghdr *>(m.data());
    h->nlmsg_len = static_cast<uint32_t>(m.size());
    h->nlmsg_type = cx.family;
    h->nlmsg_flags = NLM_F_REQUEST;
    h->nlmsg_seq = ++cx.seq;
    auto *g = reinterpret_cast<genlmsghdr *>(m.data() + NLMSG_HDRLEN);
    g->cmd = KCALL_CMD_BATCH;
    g->version = KCALL_GENL_VERSION;
    bool injected = false;
    const ssize_t sent = covered(cx, &injected, [&] { return send(cx.nl, m.data(), m.size(), 0); });
    const char *what = "batch (netlink)";
    if (sent < 0)
        return;  // nothing reached the kernel
    std::vector<char> buf(1 << 17);
    int err = -1;
    std::vector<Outcome> got;
    bool replied = false;
    for (;;) {
        ssize_t n = recv(cx.nl, buf.data(), buf.size(), MSG_DONTWAIT);
        if (n <= 0)
            break;
        for (auto *r = reinterpret_cast<nlmsghdr *>(buf.data()); NLMSG_OK(r, n);
             r = NLMSG_NEXT(r, n)) {
            if (r->nlmsg_type == NLMSG_ERROR) {
                err = -static_cast<const nlmsgerr *>(NLMSG_DATA(r))->error;
                continue;
            }
            if (r->nlmsg_type != cx.family)
                violation("%s: a message of type %u", what, r->nlmsg_type);
            replied = true;
            const char *p = reinterpret_cast<const char *>(NLMSG_DATA(r)) + GENL_HDRLEN;
            const size_t len = r->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
            walk(p, len, what, [&](uint16_t t, const char *q, size_t l) {
                if ((t & NLA_TYPE_MASK) != KCALL_A_BATCH_OP)
                    violation("%s: reply attribute %u", what, t);
                Outcome o;
                walk(q, l, what, [&](uint16_t u, const char *v, size_t vl) {
                    if (u == KCALL_BATCH_OP_A_OP)
                        o.op = value_of<uint32_t>(v, vl, 4, what);
                    else if (u == KCALL_BATCH_OP_A_ERRNO)
                        o.err = static_cast<int>(value_of<uint32_t>(v, vl, 4, what));
                    else if (u == KCALL_BATCH_OP_A_RESULT)
                        o.result = value_of<int64_t>(v, vl, 8, what);
                    else if (u != KCALL_BATCH_OP_A_PAD)
                        violation("%s: record attribute %u", what, u);
                });
                got.push_back(o);
            });
        }
    }
    if (err > 0 && err != EINVAL && err != E2BIG && err != ENOMEM && !cx.reloading)
        violation("%s: errno %d", what, err);
    if (!replied && (err == EINVAL || err == E2BIG))
        return;  // refused before any record ran
    if (!well_formed || injected || cx.reloading) {
        if (replied && !injected && !cx.reloading)
            count(cx, recs, &got, true);
        else
            count(cx, recs, nullptr, false);
        return;
    }
    if (!replied)
        violation("%s: a well-formed batch answered errno %d", what, err);
    check_outcomes(recs, got, flags & KCALL_BATCH_CONTINUE, cx.privileged, what);
    count(cx, recs, &got, true);
}

// A batch whose outcomes cannot be handed back: records the kernel can
// read but not write (records_ro), or a struct it cannot write nr_ops
// into. Either way EFAULT, after the records ran.
void unwritable_batch(Context &cx, bool records_ro)
{
    if (cx.dev < 0)
        return;
    const auto page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    void *p = mmap(nullptr, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return;
    std::vector<Rec> recs = {{KCALL_CMD_RETPARAM, 0, 7}, {KCALL_CMD_TASKCOUNT, 0, 0}};
    std::vector<kcall_batch_op> writable(recs.size());
    auto *ro_recs = static_cast<kcall_batch_op *>(p);
    for (size_t i = 0; i < recs.size(); i++)
        writable[i] = ro_recs[i] = {recs[i].op, recs[i].flags, recs[i].arg, 12345, -7};
    struct kcall_batch local {};
    auto *b = records_ro ? &local : static_cast<struct kcall_batch *>(p) + 8;
    b->size = sizeof(*b);
    b->ops = reinterpret_cast<uintptr_t>(records_ro ? ro_recs : writable.data());
    b->nr_ops = static_cast<uint32_t>(recs.size());
    mprotect(p, page, PROT_READ);
    bool injected = false;
    const int rc = covered(cx, &injected, [&] { return ioctl(cx.dev, KCALL_IOC_BATCH, b); });
    const int err = rc == 0 ? 0 : errno;
    const char *what = records_ro ? "batch (read-only records)" : "batch (read-only struct)";
    if (!injected && !cx.reloading) {
        if (err != EFAULT)
            violation("%s: errno %d, the contract says EFAULT", what, err);
        if (records_ro && b->nr_ops != recs.size())
            violation("%s: %u records reported run, %zu ran", what, b->nr_ops, recs.size());
    }
    count(cx, recs, nullptr, false);
    munmap(p, page);
}

}  // namespace

void batch_seeds(Context &cx)
{
    unwritable_batch(cx, true);
    unwritable_batch(cx, false);
    const std::vector<Rec> mixed = {
        {KCALL_CMD_RETPARAM, 0, 7},    {KCALL_CMD_RETPID, 0, KCALL_RETPID_SELF},
        {KCALL_CMD_TASKCOUNT, 0, 0},   {KCALL_CMD_GOODBYE, 0, 0},
        {KCALL_CMD_SHOWPARAMS, 0, 1},  {KCALL_CMD_MESSAGE, 0, 0},
        {KCALL_CMD_RETPARAM, 0, 2000}, {KCALL_CMD_RETPARAM, 1, 3},
        {KCALL_CMD_RETPARAM, 0, 4}};
    std::vector<Rec> recs = mixed;
    for (const uint32_t flags : {0U, 0U + KCALL_BATCH_CONTINUE}) {
        ioctl_batch(cx, recs, flags, false, true);
        netlink_batch(cx, recs, flags, flags != 0, true, -1, 0);
    }
    ioctl_batch(cx, recs, 0, true, true);            // unreadable records
    ioctl_batch(cx, recs, 6, false, false);          // unknown flags
    netlink_batch(cx, recs, 6, true, false, -1, 0);  // unknown flags
    netlink_batch(cx, recs, 0, false, false, 2, 1);  // a record without its op
    netlink_batch(cx, recs, 0, false, false, 3, 2);  // a reply attribute
    std::vector<Rec> many(KCALL_BATCH_MAX + 1, Rec{KCALL_CMD_RETPARAM, 0, 1});
    ioctl_batch(cx, many, 0, false, false);                   // E2BIG
    netlink_batch(cx, many, 0, false, false, -1, 0);          // E2BIG
    std::vector<Rec> big(40, Rec{KCALL_CMD_RETPARAM, 0, 5});  // more than a chunk
    ioctl_batch(cx, big, 0, false, true);
    netlink_batch(cx, big, 0, false, true, -1, 0);
}

void batch_step(FuzzedDataProvider &in, Context &cx)
{
    std::vector<Rec> recs;
    const size_t n = in.ConsumeIntegralInRange(0, 63) ? in.ConsumeIntegralInRange<size_t>(0, 40)
                                                      : KCALL_BATCH_MAX + 1;
    for (size_t i = 0; i < n && (i < 40 ? true : !recs.empty()); i++)
        recs.push_back(i < 40 ? consume_rec(in) : recs[i % 40]);
    uint32_t flags = in.ConsumeBool() ? KCALL_BATCH_CONTINUE : 0;
    bool well_formed = recs.size() <= KCALL_BATCH_MAX;
    if (!in.ConsumeIntegralInRange(0, 31)) {
        flags |= in.ConsumeIntegral<uint32_t>() & ~KCALL_BATCH_CONTINUE;
        well_formed = well_formed && !(flags & ~KCALL_BATCH_CONTINUE);
    }
    if (in.ConsumeBool()) {
        const bool bad_pointer = !recs.empty() && !in.ConsumeIntegralInRange(0, 15);
        ioctl_batch(cx, recs, flags, bad_pointer, well_formed);
    } else {
        int malformed = -1;
        int kind = 0;
        if (!recs.empty() && !in.ConsumeIntegralInRange(0, 15)) {
            malformed = in.ConsumeIntegralInRange<int>(0, static_cast<int>(recs.size()) - 1);
            kind = in.ConsumeIntegralInRange(1, 2);
            well_formed = false;  // EINVAL before any record runs
        }
        netlink_batch(cx, recs, flags, flags != 0 || in.ConsumeBool(), well_formed, malformed,
                      kind);
    }
}

}  // namespace kcall_fuzz
