// SPDX-License-Identifier: GPL-2.0-only
// The generic netlink transport for the shared expectation table.
#include <stdexcept>

#include <kcall.h>

#include "genl_client.h"
#include "transport.h"

namespace kcall_test {

namespace {

class NetlinkTransport final : public Transport {
public:
    NetlinkTransport()
    {
        if (!client_.ok())
            throw std::runtime_error(client_.error());
    }

    std::string name() const override { return "netlink"; }
    bool explains_errors() const override { return true; }

    Outcome call(Op op, int32_t arg) override
    {
        uint8_t cmd = 0;
        int arg_attr = 0, result_attr = 0;
        switch (op) {
            case Op::goodbye:
                cmd = KCALL_CMD_GOODBYE;
                break;
            case Op::showparams:
                cmd = KCALL_CMD_SHOWPARAMS;
                arg_attr = KCALL_A_VALUE;
                break;
            case Op::retparam:
                cmd = KCALL_CMD_RETPARAM;
                arg_attr = KCALL_A_VALUE;
                result_attr = KCALL_A_RESULT;
                break;
            case Op::retpid:
                cmd = KCALL_CMD_RETPID;
                arg_attr = KCALL_A_WHICH;
                result_attr = KCALL_A_PID;
                break;
            case Op::taskcount:
                cmd = KCALL_CMD_TASKCOUNT;
                result_attr = KCALL_A_COUNT;
                break;
            case Op::stats_reset:
                cmd = KCALL_CMD_STATS_RESET;
                break;
            case Op::message:
            case Op::stats:
            case Op::version:
                return {EINVAL, 0, "not an int operation"};
        }
        const GenlReply r = client_.request(cmd, [&](nl_msg *msg) {
            if (arg_attr)
                nla_put_s32(msg, arg_attr, arg);
        });
        Outcome out;
        out.err = r.err;
        out.message = r.ext_msg;
        if (r.err)
            return out;
        if (r.reply_cmd != cmd) {
            out.err = EPROTO;
            out.message = "reply carries command " + std::to_string(r.reply_cmd);
            return out;
        }
        if (!result_attr)
            return out;
        const auto it = r.attrs.find(result_attr);
        if (it == r.attrs.end()) {
            out.err = EPROTO;
            out.message = "reply lacks attribute " + std::to_string(result_attr);
            return out;
        }
        out.value = result_attr == KCALL_A_COUNT
                        ? static_cast<int64_t>(attr_as<uint64_t>(it->second))
                        : attr_as<int32_t>(it->second);
        return out;
    }

    Outcome message(const std::string &text) override
    {
        const GenlReply r = client_.request(KCALL_CMD_MESSAGE, [&](nl_msg *msg) {
            nla_put_string(msg, KCALL_A_TEXT, text.c_str());
        });
        return {r.err, 0, r.ext_msg};
    }

    StatsOutcome stats() override
    {
        StatsOutcome out;
        const GenlReply r = client_.request(KCALL_CMD_STATS);
        out.err = r.err;
        out.message = r.ext_msg;
        if (r.err)
            return out;
        for (const std::string &nest : r.repeated) {
            const auto a = parse_attrs(nest);
            if (!a.count(KCALL_STATS_A_OP) || !a.count(KCALL_STATS_A_CALLS) ||
                !a.count(KCALL_STATS_A_FAILURES))
                return {EPROTO, "stats entry lacks an attribute", {}};
            out.entries.push_back({attr_as<uint32_t>(a.at(KCALL_STATS_A_OP)),
                                   attr_as<uint64_t>(a.at(KCALL_STATS_A_CALLS)),
                                   attr_as<uint64_t>(a.at(KCALL_STATS_A_FAILURES))});
        }
        return out;
    }

    VersionOutcome version() override
    {
        VersionOutcome out;
        const GenlReply r = client_.request(KCALL_CMD_VERSION);
        out.err = r.err;
        if (r.err)
            return out;
        if (!r.attrs.count(KCALL_A_ABI_VERSION) || !r.attrs.count(KCALL_A_FEATURES)) {
            out.err = EPROTO;
            return out;
        }
        out.abi_version = attr_as<uint32_t>(r.attrs.at(KCALL_A_ABI_VERSION));
        out.features = attr_as<uint64_t>(r.attrs.at(KCALL_A_FEATURES));
        return out;
    }

private:
    GenlClient client_;
};

}  // namespace

std::unique_ptr<Transport> make_netlink_transport()
{
    return std::make_unique<NetlinkTransport>();
}

}  // namespace kcall_test
