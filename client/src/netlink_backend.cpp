// SPDX-License-Identifier: MIT
// Transport over the generic netlink family "kcall", with libnl-genl-3 for
// building and parsing messages and one send() and one recv() per call.
//
// A connection is one socket, used by one request at a time. It is
// replaced, not shared, in a child after fork() (the fork generation
// differs; the parent keeps the socket), and the family is resolved again
// when the kernel says it does not know our id (the module was reloaded
// and got a new one). Every receive is bounded (SO_RCVTIMEO), and a reply
// is taken only from the peer we asked, to our port, with our sequence
// number and command, with well-formed headers and attributes.
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <sys/socket.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <functional>
#include <mutex>
#include <string>

#include <kcall.h>  // the uapi

#include "backends.hpp"
#include "fork_generation.hpp"
#include "nl_util.hpp"
#include "op_table.hpp"

namespace kcall {

namespace {

// The state of one request while its answer is read.
struct Exchange {
    // Reads the reply's attributes (indexed by type); false: malformed.
    std::function<bool(nlattr **tb, nlmsghdr *nlh)> parse;
    bool done = false;
    bool parsed = false;
    int err = 0;
    std::string message;
};

void malformed(Exchange *ex, const char *what)
{
    ex->done = true;
    ex->err = EPROTO;
    ex->message = what;
}

// An error message: struct nlmsgerr, the request unless capped, then the
// extended ACK attributes. Every length is checked before it is used.
void read_error(const nlmsghdr *nlh, Exchange *ex)
{
    if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(nlmsgerr))
        return malformed(ex, "truncated error message");
    const auto *err = static_cast<const nlmsgerr *>(nlmsg_data(nlh));
    if (err->error > 0 || err->error < -4095)
        return malformed(ex, "error message with an invalid errno");
    ex->done = true;
    ex->err = -err->error;
    if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
        return;
    size_t off = NLMSG_HDRLEN + sizeof(*err);
    if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
        if (err->msg.nlmsg_len < NLMSG_HDRLEN)
            return;  // no echoed request to skip: ignore the attributes
        off += NLMSG_ALIGN(err->msg.nlmsg_len) - NLMSG_HDRLEN;
    }
    if (nlh->nlmsg_len <= off)
        return;
    nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};
    nla_policy policy[NLMSGERR_ATTR_MAX + 1] = {};
    policy[NLMSGERR_ATTR_MSG].type = NLA_STRING;  // libnl: NUL-terminated
    // nla_parse only reads; libnl's signature lacks const.
    auto *attrs =
        reinterpret_cast<nlattr *>(const_cast<char *>(reinterpret_cast<const char *>(nlh) + off));
    if (nla_parse(tb, NLMSGERR_ATTR_MAX, attrs, static_cast<int>(nlh->nlmsg_len - off), policy) ==
            0 &&
        tb[NLMSGERR_ATTR_MSG])
        ex->message = nla_get_string(tb[NLMSGERR_ATTR_MSG]);
}

// The reply to our request: every command answers a success with exactly
// one message of its own command.
void read_reply(nlmsghdr *nlh, uint8_t cmd, Exchange *ex)
{
    if (!genlmsg_valid_hdr(nlh, 0))
        return malformed(ex, "truncated reply");
    if (static_cast<genlmsghdr *>(nlmsg_data(nlh))->cmd != cmd)
        return malformed(ex, "reply to another command");
    nlattr *tb[KCALL_A_MAX + 1] = {};
    if (genlmsg_parse(nlh, 0, tb, KCALL_A_MAX, nullptr) < 0)
        return malformed(ex, "malformed reply");
    ex->done = true;
    if (ex->parse)
        ex->parsed = ex->parse(tb, nlh);
}

bool get_u32(nlattr *a, uint32_t *out)
{
    if (!a || nla_len(a) != sizeof(uint32_t))
        return false;
    *out = nla_get_u32(a);
    return true;
}

bool get_u64(nlattr *a, uint64_t *out)
{
    if (!a || nla_len(a) != sizeof(uint64_t))
        return false;
    *out = nla_get_u64(a);
    return true;
}

// Headers and the attributes of any request but message's text.
constexpr size_t request_room = 128;

// One socket and what goes with it. Its mutex is allocated apart: a child
// that inherited the connection may inherit that mutex locked (another
// thread of the parent was in a request), so it leaks the mutex instead of
// destroying it.
struct Link {
    nl::Sock sock;
    int fd = -1;        // sock's
    uint32_t port = 0;  // sock's local port
    uint32_t seq = 0;   // of the last simple request (own count: see simple_once())
    int family = 0;
    uint32_t peer = 0;  // the kernel, or a test's fake
    uint32_t generation = 0;
    int timeout_ms = 0;  // of each request's wait for its answer (0: none)
    std::mutex *mutex = new std::mutex;
    // Receive buffer, reused: large enough for any reply (a batch of
    // KCALL_BATCH_MAX records is the largest, 32 KiB) and any error with
    // its request.
    std::array<char, 65536> buf{};
    std::vector<char> req;  // a batch's request, reused

    Link() = default;
    Link(const Link &) = delete;
    Link &operator=(const Link &) = delete;
    ~Link() { delete mutex; }
};

struct LinkOptions {
    int timeout_ms = 0;
    uint32_t peer = 0;  // 0: the kernel, whose controller resolves the family
    int family = 0;     // with a peer: the id to use
};

Result<std::unique_ptr<Link>> open_link(const LinkOptions &o)
{
    auto sock = nl::open_socket(o.timeout_ms);
    if (!sock)
        return sock.error();
    auto link = std::make_unique<Link>();
    link->generation = fork_generation();
    link->timeout_ms = o.timeout_ms;
    if (o.peer) {
        // Requests go to the peer (send() uses the connected address).
        sockaddr_nl addr{};
        addr.nl_family = AF_NETLINK;
        addr.nl_pid = o.peer;
        if (::connect(nl_socket_get_fd(sock->get()), reinterpret_cast<sockaddr *>(&addr),
                      sizeof(addr)) != 0)
            return Error{errno, "cannot connect to the peer"};
        link->family = o.family;
        link->peer = o.peer;
    } else {
        auto family = nl::resolve_family(sock->get());
        if (!family)
            return family.error();
        link->family = *family;
    }
    link->sock = std::move(*sock);
    link->fd = nl_socket_get_fd(link->sock.get());
    link->port = nl_socket_get_local_port(link->sock.get());
    link->seq = nl_socket_use_seq(link->sock.get()) + (1U << 30);
    return link;
}

class NetlinkBackend final : public Backend {
public:
    NetlinkBackend(std::unique_ptr<Link> link, LinkOptions options)
        : Backend(simple_calls_of<NetlinkBackend>), options_(options), link_(link.release())
    {
    }
    ~NetlinkBackend() override { delete link_.load(std::memory_order_relaxed); }
    NetlinkBackend(const NetlinkBackend &) = delete;
    NetlinkBackend &operator=(const NetlinkBackend &) = delete;

    Transport transport() const override { return Transport::netlink; }

    template <std::size_t I>
    CallResult call_row(int32_t arg)
    {
        return simple(static_cast<Op>(I), arg);
    }

    // The simple operations' path: the request built in place, one send()
    // and recv(), the reply read directly; no allocation, no libnl (which
    // costs more than the kernel's part of the round trip,
    // docs/PERFORMANCE.md).
    CallResult simple(Op op, int32_t arg)
    {
        const OpInfo &info = op_info(op);
        if (!info.simple) [[unlikely]] {
            set_call_message("operation has its own call");
            return {0, EINVAL};
        }
        Link *l = link_.load(std::memory_order_acquire);
        if (l->generation != fork_generation()) [[unlikely]] {
            auto fresh = link();
            if (!fresh)
                return failed(fresh.error());
            l = *fresh;
        }
        std::lock_guard<std::mutex> lock(*l->mutex);
        const CallResult r = simple_once(*l, info, arg);
        if (r.err != ENOENT || l->peer) [[likely]]
            return r;
        // The family is unknown to the kernel: a reloaded module has a new
        // id; resolved again once.
        bool changed = false;
        if (auto again = refresh_family(*l, &changed); !again)
            return failed(again.error());
        return changed ? simple_once(*l, info, arg) : r;
    }

    Result<void> message(std::string_view text) override
    {
        const std::string z(text);
        // Room for any length: the kernel, not libnl's default size, judges.
        return transact(
            Op::message, nullptr,
            [&](nl_msg *msg) { return nla_put_string(msg, KCALL_A_TEXT, z.c_str()) == 0; },
            z.size());
    }

    Result<std::vector<OpStats>> stats() override
    {
        std::vector<OpStats> out;
        auto parse = [&out](nlattr **, nlmsghdr *nlh) {
            out.clear();
            // KCALL_A_STATS repeats: walk every attribute, not tb[].
            auto *gnlh = static_cast<genlmsghdr *>(nlmsg_data(nlh));
            nlattr *a = nullptr;
            int rem = 0;
            nla_for_each_attr(a, genlmsg_attrdata(gnlh, 0), genlmsg_attrlen(gnlh, 0), rem)
            {
                if (nla_type(a) != KCALL_A_STATS)
                    continue;
                nlattr *st[KCALL_STATS_A_MAX + 1] = {};
                if (nla_parse_nested(st, KCALL_STATS_A_MAX, a, nullptr) < 0)
                    return false;
                OpStats s;
                if (!get_u32(st[KCALL_STATS_A_OP], &s.op) ||
                    !get_u64(st[KCALL_STATS_A_CALLS], &s.calls) ||
                    !get_u64(st[KCALL_STATS_A_FAILURES], &s.failures))
                    return false;
                out.push_back(s);
            }
            return true;
        };
        auto r = transact(Op::stats, parse, [](nl_msg *) { return true; });
        if (!r)
            return r.error();
        return out;
    }

    Result<ModuleVersion> version() override
    {
        ModuleVersion v;
        auto parse = [&v](nlattr **tb, nlmsghdr *) {
            return get_u32(tb[KCALL_A_ABI_VERSION], &v.abi_version) &&
                   get_u64(tb[KCALL_A_FEATURES], &v.features);
        };
        auto r = transact(Op::version, parse, [](nl_msg *) { return true; });
        if (!r)
            return r.error();
        return v;
    }

    Result<std::vector<BatchOutcome>> batch(const std::vector<BatchOp> &ops,
                                            bool keep_going) override
    {
        std::vector<BatchOutcome> out;
        out.reserve(ops.size());
        auto l = link();
        if (!l)
            return l.error();
        std::lock_guard<std::mutex> lock(*(*l)->mutex);
        CallResult r = batch_once(**l, ops, keep_going, out);
        if (r.err == ENOENT && !(*l)->peer) {
            // A reloaded module has a new family id: resolved again once.
            bool changed = false;
            if (auto again = refresh_family(**l, &changed); !again)
                return again.error();
            if (changed)
                r = batch_once(**l, ops, keep_going, out);
        }
        if (r.err)
            return take_call_error(r.err);
        return out;
    }

private:
    using Parse = std::function<bool(nlattr **, nlmsghdr *)>;

    // A receive's or a wait's errno: EAGAIN (SO_RCVTIMEO, Linux's EWOULDBLOCK) and ETIMEDOUT
    // (the deadline) are the answer that did not come in time.
    [[gnu::cold]] static Error timed_out(int err)
    {
        if (err == EAGAIN || err == ETIMEDOUT)
            return Error{ETIMEDOUT, "no answer from the module in time"};
        return Error{err, {}};
    }

    [[gnu::cold]] static CallResult failed(const Error &e)
    {
        set_call_message(e.message);
        return {0, e.code};
    }

    // Looks the family up again, on a socket of its own (libnl's lookup
    // checks sequence numbers against its own count, which our requests
    // have moved past); *changed when its id is not the one we used.
    Result<void> refresh_family(Link &link, bool *changed)
    {
        auto lookup = nl::open_socket(options_.timeout_ms);
        if (!lookup)
            return lookup.error();
        auto family = nl::resolve_family(lookup->get());
        if (!family)
            return family.error();
        *changed = *family != link.family;
        link.family = *family;
        return {};
    }

    // One simple request and its answer. The sequence numbers are the
    // link's own (from a quarter of the range away from libnl's count on
    // the same socket), so that an answer to an interrupted request of
    // either kind is never taken for this one's.
    static CallResult simple_once(Link &link, const OpInfo &info, int32_t arg)
    {
        struct {
            nlmsghdr nlh;
            genlmsghdr genl;
            nlattr attr;
            int32_t value;
        } req{};
        const uint32_t len = info.arg_attr ? sizeof(req) : NLMSG_HDRLEN + GENL_HDRLEN;
        const uint32_t seq = ++link.seq;
        req.nlh = {len, static_cast<uint16_t>(link.family), NLM_F_REQUEST, seq, link.port};
        req.genl.cmd = static_cast<uint8_t>(info.number);
        req.genl.version = KCALL_GENL_VERSION;
        req.attr.nla_len = NLA_HDRLEN + sizeof(int32_t);
        req.attr.nla_type = info.arg_attr;
        req.value = arg;
        if (::send(link.fd, &req, len, 0) < 0) [[unlikely]]
            return failed(Error{errno, {}});
        return exchange(link, seq,
                        [&info](const nlmsghdr *nlh) { return simple_reply(nlh, info); });
    }

    // Waits for the answer to request seq (sent): an error (its errno and
    // extended ACK message), or a message of the family, handed to
    // on_reply. Stale answers and other senders' messages are skipped.
    template <typename OnReply>
    static CallResult exchange(Link &link, uint32_t seq, OnReply on_reply)
    {
        const nl::Deadline deadline(link.timeout_ms);
        for (bool again = false;; again = true) {
            if (again) {
                if (const int err = deadline.wait_readable(link.fd))
                    return failed(timed_out(err));
            }
            sockaddr_nl from{};
            socklen_t from_len = sizeof(from);
            // MSG_TRUNC: n is the message's real length, even if longer.
            const ssize_t n = ::recvfrom(link.fd, link.buf.data(), link.buf.size(), MSG_TRUNC,
                                         reinterpret_cast<sockaddr *>(&from), &from_len);
            if (n < 0) [[unlikely]] {
                if (errno == EINTR)
                    continue;
                return failed(timed_out(errno));
            }
            if (from.nl_pid != link.peer) [[unlikely]]
                continue;  // not from whom we asked
            if (static_cast<size_t>(n) > link.buf.size()) [[unlikely]]
                return failed(Error{EMSGSIZE, "reply larger than the receive buffer"});
            const nlmsghdr *nlh = answer(link, seq, static_cast<int>(n));
            if (!nlh)
                continue;  // only stale answers to interrupted requests
            if (nlh->nlmsg_type == NLMSG_ERROR)
                return simple_error(nlh);
            return on_reply(nlh);
        }
    }

    // The answer to request seq among the n bytes received: an error or a
    // message of the family; nullptr when there is none.
    static const nlmsghdr *answer(const Link &link, uint32_t seq, int n)
    {
        int left = n;
        for (auto *nlh = reinterpret_cast<const nlmsghdr *>(link.buf.data()); NLMSG_OK(nlh, left);
             nlh = NLMSG_NEXT(nlh, left)) {
            if (nlh->nlmsg_seq != seq || nlh->nlmsg_pid != link.port) [[unlikely]]
                continue;  // a stale answer to an interrupted request
            if (nlh->nlmsg_type == NLMSG_ERROR || nlh->nlmsg_type == link.family)
                return nlh;
        }
        return nullptr;
    }

    // Writes attribute type with a 4-byte value at p: 8 bytes.
    static char *put_u32_attr(char *p, uint16_t type, uint32_t value)
    {
        const nlattr a{NLA_HDRLEN + sizeof(value), type};
        std::memcpy(p, &a, sizeof(a));
        std::memcpy(p + NLA_HDRLEN, &value, sizeof(value));
        return p + NLA_HDRLEN + sizeof(value);
    }

    // One KCALL_CMD_BATCH request, built in link.req (sized once, written
    // in place), and its reply read in place: libnl's message building and
    // attribute parsing cost more per record than the kernel's part
    // (docs/PERFORMANCE.md).
    static CallResult batch_once(Link &link, const std::vector<BatchOp> &ops, bool keep_going,
                                 std::vector<BatchOutcome> &out)
    {
        constexpr std::size_t kAttr = NLA_HDRLEN + sizeof(uint32_t);
        std::size_t len = NLMSG_HDRLEN + GENL_HDRLEN + (keep_going ? kAttr : 0);
        for (const BatchOp &op : ops)
            len += NLA_HDRLEN + kAttr + (op.arg ? kAttr : 0);
        std::vector<char> &m = link.req;
        if (m.size() < len)
            m.resize(len);
        const uint32_t seq = ++link.seq;
        const nlmsghdr nlh{static_cast<uint32_t>(len), static_cast<uint16_t>(link.family),
                           NLM_F_REQUEST, seq, link.port};
        std::memcpy(m.data(), &nlh, sizeof(nlh));
        const genlmsghdr genl{KCALL_CMD_BATCH, KCALL_GENL_VERSION, 0};
        std::memcpy(m.data() + NLMSG_HDRLEN, &genl, sizeof(genl));
        char *p = m.data() + NLMSG_HDRLEN + GENL_HDRLEN;
        if (keep_going)
            p = put_u32_attr(p, KCALL_A_FLAGS, KCALL_BATCH_CONTINUE);
        for (const BatchOp &op : ops) {
            // The nest: its header, the op, the argument when not 0.
            const nlattr nest{static_cast<uint16_t>(NLA_HDRLEN + kAttr + (op.arg ? kAttr : 0)),
                              KCALL_A_BATCH_OP | NLA_F_NESTED};
            std::memcpy(p, &nest, sizeof(nest));
            p = put_u32_attr(p + NLA_HDRLEN, KCALL_BATCH_OP_A_OP, op_number(op.op));
            if (op.arg)
                p = put_u32_attr(p, KCALL_BATCH_OP_A_ARG, static_cast<uint32_t>(op.arg));
        }
        if (::send(link.fd, m.data(), len, 0) < 0) [[unlikely]]
            return failed(Error{errno, {}});
        return exchange(link, seq, [&](const nlmsghdr *r) { return batch_reply(r, ops, out); });
    }

    // A batch's reply: one KCALL_A_BATCH_OP per record run, in order, each
    // with the record's op, errno and result; every length checked.
    static CallResult batch_reply(const nlmsghdr *nlh, const std::vector<BatchOp> &ops,
                                  std::vector<BatchOutcome> &out)
    {
        out.clear();
        if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN)) [[unlikely]]
            return failed(Error{EPROTO, "truncated reply"});
        const auto *genl = static_cast<const genlmsghdr *>(NLMSG_DATA(nlh));
        if (genl->cmd != KCALL_CMD_BATCH) [[unlikely]]
            return failed(Error{EPROTO, "reply to another command"});
        const auto *p = reinterpret_cast<const unsigned char *>(genl) + GENL_HDRLEN;
        int rem = static_cast<int>(nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN));
        while (rem >= static_cast<int>(NLA_HDRLEN)) {
            const auto *a = reinterpret_cast<const nlattr *>(p);
            if (a->nla_len < NLA_HDRLEN || a->nla_len > rem)
                break;
            if ((a->nla_type & NLA_TYPE_MASK) == KCALL_A_BATCH_OP) {
                uint32_t number = 0, err = 0;
                int64_t result = 0;
                int seen = 0;
                const auto *q = p + NLA_HDRLEN;
                int qrem = a->nla_len - NLA_HDRLEN;
                while (qrem >= static_cast<int>(NLA_HDRLEN)) {
                    const auto *b = reinterpret_cast<const nlattr *>(q);
                    if (b->nla_len < NLA_HDRLEN || b->nla_len > qrem)
                        break;
                    const int dlen = b->nla_len - NLA_HDRLEN;
                    const unsigned char *d = q + NLA_HDRLEN;
                    switch (b->nla_type & NLA_TYPE_MASK) {
                        case KCALL_BATCH_OP_A_OP:
                            if (dlen == sizeof(number))
                                std::memcpy(&number, d, sizeof(number)), seen |= 1;
                            break;
                        case KCALL_BATCH_OP_A_ERRNO:
                            if (dlen == sizeof(err))
                                std::memcpy(&err, d, sizeof(err)), seen |= 2;
                            break;
                        case KCALL_BATCH_OP_A_RESULT:
                            if (dlen == sizeof(result))
                                std::memcpy(&result, d, sizeof(result)), seen |= 4;
                            break;
                        default:
                            break;
                    }
                    const int step = NLA_ALIGN(b->nla_len);
                    q += step;
                    qrem -= step;
                }
                if (seen != 7 || out.size() >= ops.size() ||
                    number != op_number(ops[out.size()].op) || err > 4095) [[unlikely]]
                    return failed(Error{EPROTO, "malformed batch reply"});
                out.push_back({ops[out.size()].op, static_cast<int>(err), result});
            }
            const int step = NLA_ALIGN(a->nla_len);
            p += step;
            rem -= step;
        }
        return {static_cast<int64_t>(out.size()), 0};
    }

    [[gnu::cold]] static CallResult simple_error(const nlmsghdr *nlh)
    {
        Exchange ex;
        read_error(nlh, &ex);
        return failed(Error{ex.err, ex.message});
    }

    // The reply of a simple request: its command, and its result attribute
    // (the last of its type, as nla_parse() takes it) of exactly the
    // result's size. Every length is checked before it is used.
    static CallResult simple_reply(const nlmsghdr *nlh, const OpInfo &info)
    {
        if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN)) [[unlikely]]
            return failed(Error{EPROTO, "truncated reply"});
        const auto *genl = static_cast<const genlmsghdr *>(NLMSG_DATA(nlh));
        if (genl->cmd != info.number) [[unlikely]]
            return failed(Error{EPROTO, "reply to another command"});
        if (!info.result_attr)
            return {0, 0};
        const auto *p = reinterpret_cast<const unsigned char *>(genl) + GENL_HDRLEN;
        int rem = static_cast<int>(nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN));
        const nlattr *result = nullptr;
        while (rem >= static_cast<int>(NLA_HDRLEN)) {
            const auto *a = reinterpret_cast<const nlattr *>(p);
            if (a->nla_len < NLA_HDRLEN || a->nla_len > rem)
                break;  // nla_parse() stops here too
            if ((a->nla_type & NLA_TYPE_MASK) == info.result_attr)
                result = a;
            const int step = NLA_ALIGN(a->nla_len);
            p += step;
            rem -= step;
        }
        if (!result || result->nla_len != NLA_HDRLEN + info.result_size) [[unlikely]]
            return failed(Error{EPROTO, "reply without its result attributes"});
        const auto *data = reinterpret_cast<const unsigned char *>(result) + NLA_HDRLEN;
        if (info.result_size == sizeof(uint64_t)) {
            uint64_t v = 0;
            std::memcpy(&v, data, sizeof(v));
            return {static_cast<int64_t>(v), 0};
        }
        int32_t v = 0;
        std::memcpy(&v, data, sizeof(v));
        return {v, 0};
    }

    // This process's link: the one it opened, or a new one if this is a
    // child that inherited it. The inherited one stays the parent's: its
    // socket is closed here, its memory (and possibly locked mutex) left.
    Result<Link *> link()
    {
        Link *l = link_.load(std::memory_order_acquire);
        if (l->generation == fork_generation())
            return l;
        auto fresh = open_link(options_);
        if (!fresh)
            return fresh.error();
        Link *mine = fresh->get();
        if (link_.compare_exchange_strong(l, mine, std::memory_order_acq_rel)) {
            (void)fresh->release();  // now owned by link_
            l->sock.reset();         // the child's reference to the parent's socket
            return mine;             // l itself is left: see above
        }
        return l;  // another thread of this child replaced it first
    }

    // Sends op's request, with put() adding its attributes, and reads the
    // answer: the reply (parse reads it) or an error. A family unknown to
    // the kernel is resolved again once: a reloaded module has a new id.
    template <typename Put>
    Result<void> transact(Op op, const Parse &parse, Put put, size_t payload = 0)
    {
        auto l = link();
        if (!l)
            return l.error();
        Link &link = **l;
        std::lock_guard<std::mutex> lock(*link.mutex);
        Exchange ex;
        ex.parse = parse;
        auto r = exchange(link, op, ex, put, payload);
        if (r || r.error().code != ENOENT || link.peer)
            return r;
        bool changed = false;
        if (auto again = refresh_family(link, &changed); !again)
            return again.error();
        if (!changed)
            return r;  // the family is there: the ENOENT was the operation's
        Exchange again;
        again.parse = parse;
        return exchange(link, op, again, put, payload);
    }

    template <typename Put>
    Result<void> exchange(Link &link, Op op, Exchange &ex, Put &put, size_t payload)
    {
        // libnl builds and parses messages; sending and receiving are one
        // send() and one recv() into a buffer of ours: libnl's generic
        // send and receive paths cost more than the kernel's whole round
        // trip (docs/PERFORMANCE.md). No ACK is asked for: a success is
        // answered by its reply, a failure by an error message.
        // libnl zeroes what it allocates: size for what we put, not a page.
        const auto cmd = static_cast<uint8_t>(op_number(op));
        nl::Msg msg(nlmsg_alloc_size(request_room + payload));
        if (!msg || !genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, link.family, 0, 0, cmd,
                                 KCALL_GENL_VERSION))
            return Error{ENOMEM, {}};
        if (!put(msg.get()))
            return Error{EMSGSIZE, {}};

        nl_sock *sock = link.sock.get();
        const int fd = nl_socket_get_fd(sock);
        const uint32_t port = nl_socket_get_local_port(sock);
        // What nl_send_auto() would do, minus its generic sendmsg path: our
        // port, the next sequence number, a request without ACK.
        nlmsghdr *req = nlmsg_hdr(msg.get());
        req->nlmsg_pid = port;
        req->nlmsg_seq = nl_socket_use_seq(sock);
        req->nlmsg_flags |= NLM_F_REQUEST;
        const uint32_t seq = req->nlmsg_seq;
        if (::send(fd, req, req->nlmsg_len, 0) < 0)
            return Error{errno, {}};
        const nl::Deadline deadline(link.timeout_ms);
        for (bool again = false; !ex.done; again = true) {
            if (again) {
                if (const int err = deadline.wait_readable(fd))
                    return timed_out(err);
            }
            sockaddr_nl from{};
            socklen_t from_len = sizeof(from);
            // MSG_TRUNC: n is the message's real length, even if longer.
            const ssize_t n = ::recvfrom(fd, link.buf.data(), link.buf.size(), MSG_TRUNC,
                                         reinterpret_cast<sockaddr *>(&from), &from_len);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                return timed_out(errno);
            if (from.nl_pid != link.peer)
                continue;  // not from whom we asked
            if (static_cast<size_t>(n) > link.buf.size())
                return Error{EMSGSIZE, "reply larger than the receive buffer"};
            int left = static_cast<int>(n);
            for (auto *nlh = reinterpret_cast<nlmsghdr *>(link.buf.data());
                 !ex.done && nlmsg_ok(nlh, left); nlh = nlmsg_next(nlh, &left)) {
                if (nlh->nlmsg_seq != seq || nlh->nlmsg_pid != port)
                    continue;  // a stale answer to an interrupted request
                if (nlh->nlmsg_type == NLMSG_ERROR)
                    read_error(nlh, &ex);
                else if (nlh->nlmsg_type == link.family)
                    read_reply(nlh, cmd, &ex);
            }
        }
        if (ex.err)
            return Error{ex.err, ex.message};
        if (ex.parse && !ex.parsed)
            return Error{EPROTO, "reply without its result attributes"};
        return {};
    }

    const LinkOptions options_;
    std::atomic<Link *> link_;
};

Result<std::unique_ptr<Backend>> open_backend(const LinkOptions &options)
{
    try {
        auto link = open_link(options);
        if (!link)
            return link.error();
        return std::unique_ptr<Backend>(
            std::make_unique<NetlinkBackend>(std::move(*link), options));
    } catch (const std::bad_alloc &) {
        return Error{ENOMEM, {}};
    }
}

}  // namespace

Result<std::unique_ptr<Backend>> open_netlink_backend()
{
    return open_backend(LinkOptions{nl::timeout_ms_from_env(), 0, 0});
}

Result<std::unique_ptr<Backend>> open_netlink_backend_to_peer(uint32_t peer, int family,
                                                              int timeout_ms)
{
    return open_backend(LinkOptions{timeout_ms, peer, family});
}

}  // namespace kcall
