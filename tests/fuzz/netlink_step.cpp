// SPDX-License-Identifier: GPL-2.0-only
// Generic netlink steps: messages built from the attribute types of
// uapi/kcall.yaml (well-typed, wrong-typed, with nest and byte-order flag
// bits, nested, oversized, unknown), most of them well-formed so that they
// reach kcall's handlers; commands, header fields and netlink flags chosen
// by the input; now and then a message whose length field lies.
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <vector>

#include "kcall_spec_types.h"
#include "nl_walk.h"
#include "steps.h"

namespace kcall_fuzz {

namespace {

// Payload size of an attribute type of the kcall set, from the spec's
// kind (kcall_spec_types.h, generated from uapi/kcall.yaml): 0 for the
// variable ones (string, nest, pad, unused).
int attr_size(uint16_t type)
{
    if (type >= std::size(spec::kAttrs))
        return 0;
    switch (spec::kAttrs[type]) {
        case spec::Kind::u32:
        case spec::Kind::s32:
            return 4;
        case spec::Kind::u64:
        case spec::Kind::s64:
            return 8;
        default:
            return 0;
    }
}
constexpr uint16_t kMaxAttr = std::size(spec::kAttrs) - 1;
static_assert(kMaxAttr == KCALL_A_MAX, "the spec and the uapi header disagree");

// The request attributes the spec gives a command (its policy).
const spec::Command *command(unsigned op)
{
    for (const auto &c : spec::kCommands) {
        if (c.cmd == op)
            return &c;
    }
    return nullptr;
}

bool in_policy(unsigned op, uint16_t type)
{
    const spec::Command *c = command(op);
    for (size_t i = 0; c && i < std::size(c->request); i++) {
        if (c->request[i] && c->request[i] == type)
            return true;
    }
    return false;
}

// The argument attribute of an operation's request (its one request
// attribute besides flags), 0 for none.
uint16_t arg_attr(unsigned op)
{
    const spec::Command *c = command(op);
    for (size_t i = 0; c && i < std::size(c->request); i++) {
        if (c->request[i] && c->request[i] != KCALL_A_FLAGS)
            return c->request[i];
    }
    return 0;
}

// One message as the input chose it, and what the model knows of it.
struct NlSpec {
    uint8_t cmd = 0;
    uint16_t flags = NLM_F_REQUEST;
    uint8_t version = KCALL_GENL_VERSION;
    uint16_t reserved = 0;
    std::vector<char> attrs;
    uint32_t send_len = 0;  // 0: the whole message; else cut to this
    bool longer = false;    // nlmsg_len claims more than is sent
    bool wf = true;         // only well-typed attributes of the op's policy
    Request req;
    bool seen[kMaxAttr + 1] = {};
};

void note(NlSpec &s, uint16_t type)
{
    if (!in_policy(s.req.op, type) || s.seen[type])
        s.wf = false;
    else
        s.seen[type] = true;
}

// A well-typed attribute of any type of the set; its value, for the
// request's own, lands in the model.
void well_typed(FuzzedDataProvider &in, NlSpec &s, uint16_t type)
{
    const spec::Kind kind = spec::kAttrs[type];
    if (kind == spec::Kind::string) {
        std::string t = consume_text(in);
        if (type == KCALL_A_TEXT && !s.seen[type])
            s.req.text = t;
        put_attr(s.attrs, type, t.c_str(), t.size() + 1);
    } else if (kind == spec::Kind::nest) {
        std::vector<char> nest;
        const uint32_t op = in.ConsumeIntegral<uint32_t>();
        put_attr(nest, KCALL_STATS_A_OP, &op, sizeof(op));
        put_attr(s.attrs, type | NLA_F_NESTED, nest.data(), nest.size());
    } else if (attr_size(type) == 4) {
        uint32_t v = 0;
        if (type == KCALL_A_FLAGS)
            v = in.ConsumeIntegralInRange<int>(0, 3) ? 0 : in.ConsumeIntegral<uint32_t>();
        else
            v = static_cast<uint32_t>(consume_arg(in));
        if (type == KCALL_A_FLAGS && !s.seen[type])
            s.req.flags = v;
        if ((type == KCALL_A_VALUE || type == KCALL_A_WHICH) && !s.seen[type])
            s.req.arg = static_cast<int32_t>(v);
        put_attr(s.attrs, type, &v, sizeof(v));
    } else if (attr_size(type) == 8) {
        const uint64_t v = in.ConsumeIntegral<uint64_t>();
        put_attr(s.attrs, type, &v, sizeof(v));
    } else {
        put_attr(s.attrs, type, nullptr, 0);  // pad, unspec
    }
    note(s, type);
}

// Attributes that break the rules on purpose.
void ill_typed(FuzzedDataProvider &in, NlSpec &s, int depth)
{
    s.wf = false;
    const uint16_t type = in.ConsumeIntegralInRange<uint16_t>(0, kMaxAttr);
    switch (in.ConsumeIntegralInRange<int>(0, 5)) {
        case 0: {  // the wrong length for its type
            static const size_t kLens[] = {0, 1, 2, 3, 5, 6, 7, 8, 12, 16};
            const std::string b = in.ConsumeBytesAsString(in.PickValueInArray(kLens));
            put_attr(s.attrs, type, b.data(), b.size());
            break;
        }
        case 1: {  // an unknown type
            const uint16_t t = in.ConsumeBool() ? kMaxAttr + 1 : in.ConsumeIntegral<uint16_t>();
            const std::string b = in.ConsumeBytesAsString(in.ConsumeIntegralInRange(0, 16));
            put_attr(s.attrs, t & NLA_TYPE_MASK, b.data(), b.size());
            break;
        }
        case 2: {  // flag bits on a well-typed one
            const uint16_t bits = in.ConsumeBool() ? NLA_F_NESTED : NLA_F_NET_BYTEORDER;
            const uint64_t v = static_cast<uint32_t>(consume_arg(in));
            put_attr(s.attrs, type | bits, &v, attr_size(type) == 4 ? 4 : 8);
            break;
        }
        case 3: {  // a nest of anything, up to three deep
            NlSpec inner;
            inner.req = s.req;
            const int n = in.ConsumeIntegralInRange(0, 3);
            for (int i = 0; i < n && depth < 3; i++)
                ill_typed(in, inner, depth + 1);
            put_attr(s.attrs, type | (in.ConsumeBool() ? NLA_F_NESTED : 0), inner.attrs.data(),
                     inner.attrs.size());
            break;
        }
        case 4: {  // text gone wrong: no NUL, bytes after it, two NULs, huge
            std::string t = consume_text(in);
            switch (in.ConsumeIntegralInRange(0, 3)) {
                case 0:
                    break;  // no NUL at all
                case 1:
                    t += '\0';
                    t += in.ConsumeBytesAsString(in.ConsumeIntegralInRange(1, 400));
                    break;
                case 2:
                    t += std::string(2, '\0');
                    break;
                default:
                    t.assign(in.ConsumeIntegralInRange<size_t>(1000, 4000), 'w');
                    t += '\0';
                    break;
            }
            put_attr(s.attrs, KCALL_A_TEXT, t.data(), t.size());
            break;
        }
        default: {  // stats entries as a request (a reply's attribute)
            std::vector<char> nest;
            for (uint16_t t = KCALL_STATS_A_OP; t <= KCALL_STATS_A_FAILURES; t++) {
                const uint64_t v = in.ConsumeIntegral<uint64_t>();
                put_attr(nest, t, &v, t == KCALL_STATS_A_OP ? 4 : 8);
            }
            put_attr(s.attrs, KCALL_A_STATS | NLA_F_NESTED, nest.data(), nest.size());
            break;
        }
    }
}

NlSpec consume_spec(FuzzedDataProvider &in)
{
    NlSpec s;
    if (in.ConsumeIntegralInRange<int>(0, 7)) {
        s.cmd = in.ConsumeIntegralInRange<uint8_t>(KCALL_CMD_GOODBYE, kMaxOp);
    } else {
        static const uint8_t kOthers[] = {0, KCALL_CMD_EVENT, KCALL_CMD_EVENT + 1, 0xff};
        s.cmd = in.ConsumeBool() ? in.PickValueInArray(kOthers) : in.ConsumeIntegral<uint8_t>();
    }
    s.req.op = is_op(s.cmd) ? s.cmd : 0;
    s.wf = s.req.op != 0;
    switch (in.ConsumeIntegralInRange<int>(0, 15)) {
        case 0:
            s.flags |= NLM_F_DUMP;
            s.wf = false;
            break;
        case 1:
            s.flags = in.ConsumeIntegral<uint16_t>();
            s.wf = false;
            break;
        default:
            if (in.ConsumeBool())
                s.flags |= NLM_F_ACK;
            break;
    }
    if (!in.ConsumeIntegralInRange<int>(0, 7))
        s.version = in.ConsumeIntegral<uint8_t>();
    if (!in.ConsumeIntegralInRange<int>(0, 15)) {
        s.reserved = in.ConsumeIntegral<uint16_t>();
        s.wf = s.wf && !s.reserved;
    }
    const int n = in.ConsumeIntegralInRange(0, 4);
    for (int i = 0; i < n; i++) {
        const int kind = in.ConsumeIntegralInRange(0, 9);
        if (kind < 4 && arg_attr(s.req.op))
            well_typed(in, s, arg_attr(s.req.op));
        else if (kind < 6)
            well_typed(in, s, KCALL_A_FLAGS);
        else if (kind < 8)
            well_typed(in, s, in.ConsumeIntegralInRange<uint16_t>(1, kMaxAttr));
        else
            ill_typed(in, s, 0);
    }
    if (arg_attr(s.req.op) && !s.seen[arg_attr(s.req.op)])
        s.wf = false;  // missing: EINVAL, but the model leaves it to the table
    if (!in.ConsumeIntegralInRange<int>(0, 31)) {
        s.wf = false;
        if (in.ConsumeBool())
            s.longer = true;
        else
            s.send_len = in.ConsumeIntegral<uint32_t>();
    }
    return s;
}

// What came back for one request.
struct Reply {
    int err = -1;  // errno of an NLMSG_ERROR, 0 for an ACK; -1: none
    bool ext_msg = false;
    std::vector<std::vector<char>> replies;  // messages of our family
};

Reply receive(Context &cx)
{
    Reply r;
    std::vector<char> buf(65536);
    for (;;) {
        ssize_t n = recv(cx.nl, buf.data(), buf.size(), MSG_DONTWAIT);
        if (n <= 0)
            break;
        for (auto *h = reinterpret_cast<nlmsghdr *>(buf.data()); NLMSG_OK(h, n);
             h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_type == NLMSG_ERROR) {
                const auto *e = static_cast<const nlmsgerr *>(NLMSG_DATA(h));
                r.err = -e->error;
                // Extended ACK: TLVs after the request's header (CAP_ACK).
                size_t off = NLMSG_HDRLEN + sizeof(*e);
                while (off + NLA_HDRLEN <= h->nlmsg_len) {
                    nlattr a;
                    std::memcpy(&a, reinterpret_cast<const char *>(h) + off, sizeof(a));
                    if (a.nla_len < NLA_HDRLEN)
                        break;
                    r.ext_msg = r.ext_msg || (a.nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG;
                    off += NLA_ALIGN(a.nla_len);
                }
            } else if (h->nlmsg_type == cx.family) {
                const auto *b = reinterpret_cast<const char *>(h);
                r.replies.emplace_back(b, b + h->nlmsg_len);
            } else {
                violation("netlink: a message of type %u in answer to kcall", h->nlmsg_type);
            }
        }
    }
    return r;
}

// The reply to a successful request: exactly the op's attributes, each
// well-sized, every padding byte zero; its value where it has one.
int64_t check_reply(const std::vector<char> &m, const Request &req, uint8_t cmd)
{
    const char *what = "netlink reply";
    if (m.size() < NLMSG_HDRLEN + GENL_HDRLEN)
        violation("%s: %zu bytes", what, m.size());
    genlmsghdr g;
    std::memcpy(&g, m.data() + NLMSG_HDRLEN, sizeof(g));
    if (g.cmd != cmd || g.version != KCALL_GENL_VERSION || g.reserved)
        violation("%s: header cmd %u version %u reserved %u to cmd %u", what, g.cmd, g.version,
                  g.reserved, cmd);
    int64_t value = 0;
    unsigned count[kMaxAttr + 1] = {};
    walk(m.data() + NLMSG_HDRLEN + GENL_HDRLEN, m.size() - NLMSG_HDRLEN - GENL_HDRLEN, what,
         [&](uint16_t raw, const char *p, size_t len) {
             const uint16_t type = raw & NLA_TYPE_MASK;
             if (type > kMaxAttr || (raw != type && raw != (KCALL_A_STATS | NLA_F_NESTED)))
                 violation("%s: attribute type %#x", what, raw);
             count[type]++;
             switch (type) {
                 case KCALL_A_RESULT:
                 case KCALL_A_PID:
                     value = value_of<int32_t>(p, len, 4, what);
                     break;
                 case KCALL_A_COUNT:
                 case KCALL_A_FEATURES:
                     value = static_cast<int64_t>(value_of<uint64_t>(p, len, 8, what));
                     break;
                 case KCALL_A_ABI_VERSION:
                     if (value_of<uint32_t>(p, len, 4, what) != KCALL_ABI_VERSION)
                         violation("%s: ABI version", what);
                     break;
                 case KCALL_A_PAD:
                     break;
                 case KCALL_A_STATS:
                     walk(p, len, "stats entry", [&](uint16_t t, const char *q, size_t l) {
                         if (t == KCALL_STATS_A_OP && !is_op(value_of<uint32_t>(q, l, 4, what)))
                             violation("%s: stats entry names op %u", what,
                                       value_of<uint32_t>(q, l, 4, what));
                         if (t == KCALL_STATS_A_CALLS || t == KCALL_STATS_A_FAILURES)
                             value_of<uint64_t>(q, l, 8, what);
                         if (t > KCALL_STATS_A_MAX || t == 0)
                             violation("%s: stats entry attribute %u", what, t);
                     });
                     break;
                 default:
                     violation("%s: op %u replied attribute %u", what, req.op, type);
             }
         });
    // Exactly the attributes the spec's reply lists.
    const auto want = [&](uint16_t type, unsigned n) {
        if (count[type] != n)
            violation("%s: op %u: %u attributes of type %u, want %u", what, req.op, count[type],
                      type, n);
    };
    want(KCALL_A_RESULT, req.op == KCALL_CMD_RETPARAM);
    want(KCALL_A_PID, req.op == KCALL_CMD_RETPID);
    want(KCALL_A_COUNT, req.op == KCALL_CMD_TASKCOUNT);
    want(KCALL_A_FEATURES, req.op == KCALL_CMD_VERSION);
    want(KCALL_A_ABI_VERSION, req.op == KCALL_CMD_VERSION);
    want(KCALL_A_STATS, req.op == KCALL_CMD_STATS ? kMaxOp : 0);
    return value;
}

Answer run(Context &cx, NlSpec &s, const char *what)
{
    std::vector<char> m(NLMSG_HDRLEN + GENL_HDRLEN, 0);
    m.insert(m.end(), s.attrs.begin(), s.attrs.end());
    auto *h = reinterpret_cast<nlmsghdr *>(m.data());
    h->nlmsg_type = cx.family;
    h->nlmsg_flags = s.flags;
    h->nlmsg_seq = ++cx.seq;
    auto *g = reinterpret_cast<genlmsghdr *>(m.data() + NLMSG_HDRLEN);
    g->cmd = s.cmd;
    g->version = s.version;
    g->reserved = s.reserved;
    size_t len = m.size();
    h->nlmsg_len = static_cast<uint32_t>(len);
    if (s.longer) {
        h->nlmsg_len += 4 + (s.send_len & 60);
    } else if (s.send_len) {
        // Cut short, header and all: the kernel sees only these bytes.
        len = NLMSG_HDRLEN + s.send_len % (m.size() - NLMSG_HDRLEN + 1);
        h->nlmsg_len = static_cast<uint32_t>(len);
    }

    bool injected = false;
    const ssize_t sent = covered(cx, &injected, [&] { return send(cx.nl, m.data(), len, 0); });
    Answer a;
    if (sent < 0) {
        a.err = errno;  // the socket itself: not kcall's answer
        a.answered = false;
        return a;
    }
    const Reply r = receive(cx);
    if (cx.verbose)
        std::fprintf(stderr,
                     "kfuzz: %s: cmd %u flags %#x version %u reserved %u %zu/%zu bytes%s wf %d: "
                     "error %d, %zu replies%s\n",
                     what, s.cmd, s.flags, s.version, s.reserved, len, m.size(),
                     s.longer ? " (longer)" : "", s.wf, r.err, r.replies.size(),
                     injected ? " (injected)" : "");
    a.injected = injected;
    Circumstances c;
    c.injected = injected;
    c.reloading = cx.reloading;
    c.dump = (s.flags & NLM_F_DUMP) == NLM_F_DUMP;
    // genetlink's header check for strict families: reserved zero, and no
    // nlmsg_flags but request, ack, echo and both dump bits.
    const uint16_t loose = (s.flags & NLM_F_DUMP) == NLM_F_DUMP ? s.flags & ~NLM_F_DUMP : s.flags;
    c.bad_header = len < NLMSG_HDRLEN + GENL_HDRLEN || s.reserved ||
                   (loose & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO));
    if (r.err > 0) {
        a.err = r.err;
        check_errno(Transport::netlink, s.req.op, a.err, c, what);
    } else if (!r.replies.empty()) {
        a.err = 0;
        check_errno(Transport::netlink, s.req.op, 0, c, what);
        if (r.replies.size() != 1)
            violation("%s: %zu replies to one request", what, r.replies.size());
        if (!injected)
            a.value = check_reply(r.replies[0], s.req, s.cmd);
        if ((s.flags & NLM_F_ACK) && r.err != 0 && s.wf)
            violation("%s: NLM_F_ACK, but no ACK after the reply", what);
    } else {
        a.answered = false;
    }

    if (s.wf && !injected && !c.reloading) {
        if (!a.answered)
            violation("%s: no answer to a well-formed request for op %u", what, s.req.op);
        const int want = expected_err(s.req, cx.privileged);
        if (a.err != want)
            violation(
                "%s: well-formed netlink op %u (flags %#x arg %d, %zu-byte text) answered "
                "%s, the contract says %s",
                what, s.req.op, s.req.flags, s.req.arg, s.req.text.size(),
                a.err ? strerrorname_np(a.err) : "0", want ? strerrorname_np(want) : "0");
        if (a.err == EINVAL && !r.ext_msg)
            violation("%s: EINVAL for op %u without an extack message", what, s.req.op);
        if (a.err == 0)
            check_value(s.req, a.value, what);
    }

    if (cx.stats) {
        Counted counted = Counted::unknown;
        if (injected || c.reloading)
            counted = Counted::unknown;
        else if (s.wf || (a.answered && (a.err == 0 || a.err == EPERM)))
            counted = Counted::yes;
        else if (!a.answered || a.err == EOPNOTSUPP)
            counted = Counted::no;
        cx.stats->call(s.req.op, counted, a.err != 0);
        if (s.req.op == KCALL_CMD_STATS_RESET && a.answered && a.err == 0)
            cx.stats->reset();
        // A reset whose reply could not be built has reset all the same
        // (the operation runs before its reply): start again from now.
        Stats::Counters now{};
        if (s.req.op == KCALL_CMD_STATS_RESET && injected && a.err && cx.dev >= 0 &&
            Stats::read(cx.dev, &now))
            cx.stats->begin(now);
    }
    return a;
}

}  // namespace

void netlink_step(FuzzedDataProvider &in, Context &cx)
{
    NlSpec s = consume_spec(in);
    if (s.cmd == KCALL_CMD_BATCH)
        return batch_step(in, cx);  // batches have a model of their own
    if (cx.family)                  // 0: unloaded (reload mode)
        run(cx, s, "netlink step");
}

Answer netlink_call(Context &cx, const Request &r)
{
    NlSpec s;
    s.cmd = static_cast<uint8_t>(r.op);
    s.req = r;
    if (r.flags)
        put_attr(s.attrs, KCALL_A_FLAGS, &r.flags, sizeof(r.flags));
    if (arg_attr(r.op) == KCALL_A_TEXT)
        put_attr(s.attrs, KCALL_A_TEXT, r.text.c_str(), r.text.size() + 1);
    else if (arg_attr(r.op))
        put_attr(s.attrs, arg_attr(r.op), &r.arg, sizeof(r.arg));
    if (!cx.family) {
        Answer a;
        a.answered = false;
        return a;
    }
    return run(cx, s, "pair step (netlink)");
}

// The events group's id in the controller's list of groups.
static uint32_t events_group(const char *p, size_t len)
{
    uint32_t id = 0;
    walk(p, len, "genl ctrl groups", [&](uint16_t, const char *g, size_t glen) {
        uint32_t gid = 0;
        bool ours = false;
        walk(g, glen, "genl ctrl group", [&](uint16_t t, const char *v, size_t vlen) {
            if (t == CTRL_ATTR_MCAST_GRP_ID && vlen == sizeof(gid))
                std::memcpy(&gid, v, sizeof(gid));
            if (t == CTRL_ATTR_MCAST_GRP_NAME)
                ours = std::string(v, strnlen(v, vlen)) == KCALL_MCGRP_EVENTS;
        });
        if (ours)
            id = gid;
    });
    return id;
}

bool resolve_family(Context &cx)
{
    std::vector<char> m(NLMSG_HDRLEN + GENL_HDRLEN, 0);
    put_attr(m, CTRL_ATTR_FAMILY_NAME, KCALL_GENL_NAME, sizeof(KCALL_GENL_NAME));
    auto *h = reinterpret_cast<nlmsghdr *>(m.data());
    h->nlmsg_len = static_cast<uint32_t>(m.size());
    h->nlmsg_type = GENL_ID_CTRL;
    h->nlmsg_flags = NLM_F_REQUEST;
    h->nlmsg_seq = ++cx.seq;
    reinterpret_cast<genlmsghdr *>(m.data() + NLMSG_HDRLEN)->cmd = CTRL_CMD_GETFAMILY;
    reinterpret_cast<genlmsghdr *>(m.data() + NLMSG_HDRLEN)->version = 1;
    cx.family = 0;
    if (send(cx.nl, m.data(), m.size(), 0) < 0)
        return false;
    std::vector<char> buf(16384);
    const ssize_t n = recv(cx.nl, buf.data(), buf.size(), 0);
    const auto *r = reinterpret_cast<const nlmsghdr *>(buf.data());
    if (n < static_cast<ssize_t>(NLMSG_HDRLEN + GENL_HDRLEN) || r->nlmsg_type != GENL_ID_CTRL)
        return false;
    const char *p = buf.data() + NLMSG_HDRLEN + GENL_HDRLEN;
    size_t left = r->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
    while (left >= NLA_HDRLEN) {
        nlattr a;
        std::memcpy(&a, p, sizeof(a));
        if (a.nla_len < NLA_HDRLEN || a.nla_len > left)
            break;
        if (a.nla_type == CTRL_ATTR_FAMILY_ID)
            std::memcpy(&cx.family, p + NLA_HDRLEN, sizeof(cx.family));
        if ((a.nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GROUPS)
            cx.events_group = events_group(p + NLA_HDRLEN, a.nla_len - NLA_HDRLEN);
        const size_t step = NLA_ALIGN(static_cast<size_t>(a.nla_len));
        p += step;
        left -= step < left ? step : left;
    }
    return cx.family != 0;
}

}  // namespace kcall_fuzz
