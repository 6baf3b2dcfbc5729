// SPDX-License-Identifier: GPL-2.0-only
// The ioctl transport for the shared expectation table, on the raw uapi.
#include <stdexcept>

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
        }
        if (out.err)
            out.value = 0;
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
