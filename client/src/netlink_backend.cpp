// SPDX-License-Identifier: MIT
// Transport over the generic netlink family "kcall", with libnl-genl-3:
// the family is resolved once, the socket and callbacks are reused, and
// extended ACKs are enabled so that errors carry the kernel's reason.
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <functional>
#include <mutex>
#include <string>

#include <kcall.h>  // the uapi

#include "backends.hpp"
#include "nl_util.hpp"

namespace kcall {

namespace {

// The state of one request while libnl runs our callbacks.
struct Exchange {
    // Reads the reply's attributes (indexed by type); false: malformed.
    std::function<bool(nlattr **tb, nlmsghdr *nlh)> parse;
    bool done = false;
    bool parsed = false;
    int err = 0;
    std::string message;
};

// An error message: struct nlmsgerr, the request unless capped, then the
// extended ACK attributes.
void read_error(const nlmsghdr *nlh, Exchange *ex)
{
    const auto *err = static_cast<const nlmsgerr *>(nlmsg_data(nlh));
    ex->done = true;
    ex->err = -err->error;
    if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
        return;
    size_t off = NLMSG_HDRLEN + sizeof(*err);
    if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
        off += err->msg.nlmsg_len - NLMSG_HDRLEN;
    if (nlh->nlmsg_len <= off)
        return;
    nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};
    // nla_parse only reads; libnl's signature lacks const.
    auto *attrs =
        reinterpret_cast<nlattr *>(const_cast<char *>(reinterpret_cast<const char *>(nlh) + off));
    if (nla_parse(tb, NLMSGERR_ATTR_MAX, attrs, static_cast<int>(nlh->nlmsg_len - off), nullptr) ==
            0 &&
        tb[NLMSGERR_ATTR_MSG])
        ex->message = nla_get_string(tb[NLMSGERR_ATTR_MSG]);
}

// The reply to our request: every command answers a success with exactly
// one message of its own command.
void read_reply(nlmsghdr *nlh, Exchange *ex)
{
    ex->done = true;
    nlattr *tb[KCALL_A_MAX + 1] = {};
    if (genlmsg_parse(nlh, 0, tb, KCALL_A_MAX, nullptr) < 0) {
        ex->err = EPROTO;
        ex->message = "malformed reply";
        return;
    }
    if (ex->parse)
        ex->parsed = ex->parse(tb, nlh);
}

bool get_s32(nlattr *a, int64_t *out)
{
    if (!a || nla_len(a) != sizeof(int32_t))
        return false;
    *out = static_cast<int32_t>(nla_get_u32(a));
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

class NetlinkBackend final : public Backend {
public:
    explicit NetlinkBackend(nl::Connection conn) : conn_(std::move(conn)) {}

    Transport transport() const override { return Transport::netlink; }

    Result<int64_t> call(Op op, int32_t arg) override
    {
        int arg_attr = 0;
        int result_attr = 0;
        switch (op) {
            case Op::showparams:
                arg_attr = KCALL_A_VALUE;
                break;
            case Op::retparam:
                arg_attr = KCALL_A_VALUE;
                result_attr = KCALL_A_RESULT;
                break;
            case Op::retpid:
                arg_attr = KCALL_A_WHICH;
                result_attr = KCALL_A_PID;
                break;
            case Op::taskcount:
                result_attr = KCALL_A_COUNT;
                break;
            case Op::goodbye:
            case Op::stats_reset:
                break;
            case Op::message:
            case Op::stats:
            case Op::version:
                return Error{EINVAL, "operation has its own call"};
        }
        int64_t value = 0;
        Exchange ex;
        if (result_attr == KCALL_A_COUNT) {
            ex.parse = [&value](nlattr **tb, nlmsghdr *) {
                uint64_t v = 0;
                if (!get_u64(tb[KCALL_A_COUNT], &v))
                    return false;
                value = static_cast<int64_t>(v);
                return true;
            };
        } else if (result_attr) {
            ex.parse = [&value, result_attr](nlattr **tb, nlmsghdr *) {
                return get_s32(tb[result_attr], &value);
            };
        }
        auto r = transact(
            op, ex, [&](nl_msg *msg) { return !arg_attr || nla_put_s32(msg, arg_attr, arg) == 0; });
        if (!r)
            return r.error();
        return value;
    }

    Result<Ok> message(std::string_view text) override
    {
        const std::string z(text);
        Exchange ex;
        // Room for any length: the kernel, not libnl's default size, judges.
        return transact(
            Op::message, ex,
            [&](nl_msg *msg) { return nla_put_string(msg, KCALL_A_TEXT, z.c_str()) == 0; },
            z.size());
    }

    Result<std::vector<OpStats>> stats() override
    {
        std::vector<OpStats> out;
        Exchange ex;
        ex.parse = [&out](nlattr **, nlmsghdr *nlh) {
            // KCALL_A_STATS repeats: walk every attribute, not tb[].
            auto *gnlh = static_cast<genlmsghdr *>(nlmsg_data(nlh));
            nlattr *a = nullptr;
            int rem = 0;
            nla_for_each_attr(a, genlmsg_attrdata(gnlh, 0), genlmsg_attrlen(gnlh, 0), rem)
            {
                if (nla_type(a) != KCALL_A_STATS)
                    continue;
                nlattr *st[KCALL_STATS_A_MAX + 1] = {};
                if (nla_parse_nested(st, KCALL_STATS_A_MAX, a, nullptr) < 0 ||
                    !st[KCALL_STATS_A_OP])
                    return false;
                OpStats s;
                s.op = nla_get_u32(st[KCALL_STATS_A_OP]);
                if (!get_u64(st[KCALL_STATS_A_CALLS], &s.calls) ||
                    !get_u64(st[KCALL_STATS_A_FAILURES], &s.failures))
                    return false;
                out.push_back(s);
            }
            return true;
        };
        auto r = transact(Op::stats, ex, [](nl_msg *) { return true; });
        if (!r)
            return r.error();
        return out;
    }

    Result<ModuleVersion> version() override
    {
        ModuleVersion v;
        Exchange ex;
        ex.parse = [&v](nlattr **tb, nlmsghdr *) {
            if (!tb[KCALL_A_ABI_VERSION] || !get_u64(tb[KCALL_A_FEATURES], &v.features))
                return false;
            v.abi_version = nla_get_u32(tb[KCALL_A_ABI_VERSION]);
            return true;
        };
        auto r = transact(Op::version, ex, [](nl_msg *) { return true; });
        if (!r)
            return r.error();
        return v;
    }

private:
    // Sends op's request, with put() adding its attributes, and waits for
    // the ACK or error; ex.parse reads the reply on the way.
    template <typename Put>
    Result<Ok> transact(Op op, Exchange &ex, Put put, size_t payload = 0)
    {
        // libnl builds and parses messages; sending and receiving are one
        // send() and one recv() into a buffer of ours: libnl's generic
        // send and receive paths cost more than the kernel's whole round
        // trip (docs/PERFORMANCE.md). No ACK is asked for: a success is
        // answered by its reply, a failure by an error message.
        // libnl zeroes what it allocates: size for what we put, not a page.
        nl::Msg msg(nlmsg_alloc_size(request_room + payload));
        if (!msg || !genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, conn_.family, 0, 0,
                                 static_cast<uint8_t>(op_number(op)), KCALL_GENL_VERSION))
            return Error{ENOMEM, {}};
        if (!put(msg.get()))
            return Error{EMSGSIZE, {}};

        // One request at a time on the shared socket.
        std::lock_guard<std::mutex> lock(mutex_);
        nl_sock *sock = conn_.sock.get();
        // What nl_send_auto() would do, minus its generic sendmsg path: our
        // port, the next sequence number, a request without ACK.
        nlmsghdr *req = nlmsg_hdr(msg.get());
        req->nlmsg_pid = nl_socket_get_local_port(sock);
        req->nlmsg_seq = nl_socket_use_seq(sock);
        req->nlmsg_flags |= NLM_F_REQUEST;
        const uint32_t seq = req->nlmsg_seq;
        if (::send(nl_socket_get_fd(sock), req, req->nlmsg_len, 0) < 0)
            return Error{errno, {}};
        while (!ex.done) {
            // MSG_TRUNC: n is the message's real length, even if longer.
            const ssize_t n = ::recv(nl_socket_get_fd(sock), buf_.data(), buf_.size(), MSG_TRUNC);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                return Error{errno, {}};
            if (static_cast<size_t>(n) > buf_.size())
                return Error{EMSGSIZE, "reply larger than the receive buffer"};
            int left = static_cast<int>(n);
            for (auto *nlh = reinterpret_cast<nlmsghdr *>(buf_.data()); nlmsg_ok(nlh, left);
                 nlh = nlmsg_next(nlh, &left)) {
                if (nlh->nlmsg_seq != seq)
                    continue;  // a stale answer to an interrupted request
                if (nlh->nlmsg_type == NLMSG_ERROR)
                    read_error(nlh, &ex);
                else if (nlh->nlmsg_type == conn_.family)
                    read_reply(nlh, &ex);
            }
        }
        if (ex.err)
            return Error{ex.err, ex.message};
        if (ex.parse && !ex.parsed)
            return Error{EPROTO, "reply without its result attributes"};
        return Ok{};
    }

    std::mutex mutex_;
    nl::Connection conn_;
    // Receive buffer, reused: large enough for any reply (stats is the
    // largest, a few hundred bytes) and any error with its request.
    std::array<char, 16384> buf_{};
};

}  // namespace

Result<std::unique_ptr<Backend>> open_netlink_backend()
{
    auto conn = nl::connect();
    if (!conn)
        return conn.error();
    return std::unique_ptr<Backend>(std::make_unique<NetlinkBackend>(std::move(*conn)));
}

}  // namespace kcall
