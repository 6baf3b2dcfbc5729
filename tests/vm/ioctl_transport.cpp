// SPDX-License-Identifier: GPL-2.0-only
// The ioctl transport for the shared expectation table, on the raw uapi.
#include <cstring>
#include <stdexcept>
#include <vector>

#include "kcall_dev.h"
#include "transport.h"

namespace kcall_test {

namespace {

class IoctlTransport final : public Transport {
public:
    IoctlTransport()
    {
        if (!dev_.ok())
            throw std::runtime_error("cannot open /dev/kcall");
    }

    std::string name() const override { return "ioctl"; }

    Outcome call(Op op, int32_t arg) override
    {
        Outcome out;
        switch (op) {
            case Op::goodbye: {
                auto a = poisoned<struct kcall_goodbye>();
                a.flags = 0;
                out.err = dev_.call(KCALL_IOC_GOODBYE, &a);
                break;
            }
            case Op::showparams: {
                auto a = zeroed<struct kcall_showparams>();
                a.value = arg;
                out.err = dev_.call(KCALL_IOC_SHOWPARAMS, &a);
                break;
            }
            case Op::retparam: {
                auto a = poisoned<struct kcall_retparam>();
                a.flags = 0;
                a.value = arg;
                out.err = dev_.call(KCALL_IOC_RETPARAM, &a);
                out.value = a.result;
                break;
            }
            case Op::retpid: {
                auto a = poisoned<struct kcall_retpid>();
                a.flags = 0;
                a.which = arg;
                out.err = dev_.call(KCALL_IOC_RETPID, &a);
                out.value = a.pid;
                break;
            }
            case Op::taskcount: {
                auto a = poisoned<struct kcall_taskcount>();
                a.flags = 0;
                out.err = dev_.call(KCALL_IOC_TASKCOUNT, &a);
                out.value = static_cast<int64_t>(a.count);
                break;
            }
            case Op::stats_reset: {
                auto a = zeroed<struct kcall_stats_reset>();
                out.err = dev_.call(KCALL_IOC_STATS_RESET, &a);
                break;
            }
            case Op::message:
            case Op::stats:
            case Op::version:
                return {EINVAL, 0, "not an int operation"};
        }
        if (out.err)
            out.value = 0;
        return out;
    }

    Outcome message(const std::string &text) override
    {
        auto a = zeroed<struct kcall_message>();
        a.text = reinterpret_cast<uintptr_t>(text.c_str());
        return {dev_.call(KCALL_IOC_MESSAGE, &a), 0, {}};
    }

    StatsOutcome stats() override
    {
        StatsOutcome out;
        std::vector<struct kcall_op_stats> raw(64);
        std::memset(raw.data(), 0xa5, raw.size() * sizeof(raw[0]));
        auto a = zeroed<struct kcall_stats>();
        a.entries = reinterpret_cast<uintptr_t>(raw.data());
        a.nr_entries = static_cast<uint32_t>(raw.size());
        out.err = dev_.call(KCALL_IOC_STATS, &a);
        if (out.err)
            return out;
        if (a.nr_entries > raw.size())
            return {EOVERFLOW, "more operations than the test's array", {}};
        for (uint32_t i = 0; i < a.nr_entries; i++) {
            if (raw[i].__reserved != 0)
                return {EPROTO, "entry's reserved field not zeroed", {}};
            out.entries.push_back({raw[i].op, raw[i].calls, raw[i].failures});
        }
        return out;
    }

    VersionOutcome version() override
    {
        auto a = poisoned<struct kcall_version>();
        a.flags = 0;
        VersionOutcome out;
        out.err = dev_.call(KCALL_IOC_VERSION, &a);
        if (!out.err && a.__reserved != 0)
            out.err = EPROTO;
        out.abi_version = a.abi_version;
        out.features = a.features;
        return out;
    }

private:
    Device dev_;
};

}  // namespace

std::unique_ptr<Transport> make_ioctl_transport()
{
    return std::make_unique<IoctlTransport>();
}

}  // namespace kcall_test
