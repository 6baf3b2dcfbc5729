// SPDX-License-Identifier: MIT
// Transport over /dev/kcall: one ioctl per call, size-first structs.
#include <fcntl.h>
#include <sys/ioctl.h>

#include <cerrno>

#include <kcall.h>  // the uapi

#include "backends.hpp"
#include "unique_fd.hpp"

namespace kcall {

namespace {

class IoctlBackend final : public Backend {
public:
    explicit IoctlBackend(UniqueFd fd) : fd_(std::move(fd)) {}

    Transport transport() const override { return Transport::ioctl; }

    Result<int64_t> call(Op op, int32_t arg) override
    {
        switch (op) {
            case Op::goodbye: {
                struct kcall_goodbye a {};
                return run(KCALL_IOC_GOODBYE, a, [] { return int64_t{0}; });
            }
            case Op::showparams: {
                struct kcall_showparams a {};
                a.value = arg;
                return run(KCALL_IOC_SHOWPARAMS, a, [] { return int64_t{0}; });
            }
            case Op::retparam: {
                struct kcall_retparam a {};
                a.value = arg;
                return run(KCALL_IOC_RETPARAM, a, [&a] { return int64_t{a.result}; });
            }
            case Op::retpid: {
                struct kcall_retpid a {};
                a.which = arg;
                return run(KCALL_IOC_RETPID, a, [&a] { return int64_t{a.pid}; });
            }
            case Op::taskcount: {
                struct kcall_taskcount a {};
                return run(KCALL_IOC_TASKCOUNT, a, [&a] { return static_cast<int64_t>(a.count); });
            }
        }
        return Error{EINVAL, {}};
    }

private:
    template <typename Arg, typename Get>
    Result<int64_t> run(unsigned long cmd, Arg &arg, Get get)
    {
        arg.size = sizeof(arg);
        if (::ioctl(fd_.get(), cmd, &arg) != 0)
            return Error{errno, {}};
        return get();
    }

    UniqueFd fd_;
};

}  // namespace

Result<std::unique_ptr<Backend>> open_ioctl_backend()
{
    UniqueFd fd(::open("/dev/" KCALL_DEVICE_NAME, O_RDWR | O_CLOEXEC));
    if (!fd.valid())
        return Error{errno, {}};
    return std::unique_ptr<Backend>(std::make_unique<IoctlBackend>(std::move(fd)));
}

}  // namespace kcall
