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

private:
    GenlClient client_;
};

}  // namespace

std::unique_ptr<Transport> make_netlink_transport()
{
    return std::make_unique<NetlinkTransport>();
}

}  // namespace kcall_test
