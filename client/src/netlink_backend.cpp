// SPDX-License-Identifier: MIT
// Transport over the generic netlink family "kcall", with libnl-genl-3:
// the family is resolved once, the socket and callbacks are reused, and
// extended ACKs are enabled so that errors carry the kernel's reason.
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <unistd.h>

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

int on_valid(nl_msg *msg, void *arg)
{
    auto *ex = static_cast<Exchange *>(arg);
    nlattr *tb[KCALL_A_MAX + 1] = {};
    if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, KCALL_A_MAX, nullptr) < 0)
        return NL_SKIP;
    if (ex->parse)
        ex->parsed = ex->parse(tb, nlmsg_hdr(msg));
    return NL_OK;
}

int on_ack(nl_msg *, void *arg)
{
    static_cast<Exchange *>(arg)->done = true;
    return NL_STOP;
}

// An error message: struct nlmsgerr, the request unless capped, then the
// extended ACK attributes.
int on_error(sockaddr_nl *, nlmsgerr *err, void *arg)
{
    auto *ex = static_cast<Exchange *>(arg);
    ex->done = true;
    ex->err = -err->error;
    auto *nlh = reinterpret_cast<nlmsghdr *>(reinterpret_cast<char *>(err) - NLMSG_HDRLEN);
    if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
        return NL_STOP;
    size_t off = NLMSG_HDRLEN + sizeof(*err);
    if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
        off += err->msg.nlmsg_len - NLMSG_HDRLEN;
    if (nlh->nlmsg_len <= off)
        return NL_STOP;
    nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};
    auto *attrs = reinterpret_cast<nlattr *>(reinterpret_cast<char *>(nlh) + off);
    if (nla_parse(tb, NLMSGERR_ATTR_MAX, attrs, static_cast<int>(nlh->nlmsg_len - off), nullptr) ==
            0 &&
        tb[NLMSGERR_ATTR_MSG])
        ex->message = nla_get_string(tb[NLMSGERR_ATTR_MSG]);
    return NL_STOP;
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
        auto r = transact(op, ex, [&](nl_msg *msg) {
            return !arg_attr || nla_put_s32(msg, arg_attr, arg) == 0;
        });
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
        nl::Msg msg(nlmsg_alloc_size(static_cast<size_t>(getpagesize()) + payload));
        if (!msg || !genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, conn_.family, 0, 0,
                                 static_cast<uint8_t>(op_number(op)), KCALL_GENL_VERSION))
            return Error{ENOMEM, {}};
        if (!put(msg.get()))
            return Error{EMSGSIZE, {}};

        // One request at a time on the shared socket.
        std::lock_guard<std::mutex> lock(mutex_);
        nl_cb *cb = conn_.cb.get();
        nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &ex);
        nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &ex);
        nl_cb_err(cb, NL_CB_CUSTOM, on_error, &ex);
        errno = 0;
        int err = nl_send_auto(conn_.sock.get(), msg.get());  // adds NLM_F_ACK
        if (err < 0)
            return Error{nl::to_errno(err), {}};
        while (!ex.done) {
            err = nl_recvmsgs(conn_.sock.get(), cb);
            if (err < 0 && !ex.done)
                return Error{nl::to_errno(err), {}};
        }
        if (ex.err)
            return Error{ex.err, ex.message};
        if (ex.parse && !ex.parsed)
            return Error{EPROTO, "reply without its result attributes"};
        return Ok{};
    }

    std::mutex mutex_;
    nl::Connection conn_;
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
