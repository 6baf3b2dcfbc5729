// SPDX-License-Identifier: MIT
// libkcall built without libnl (KCALL_WITH_NETLINK=OFF, e.g. the 32-bit
// build): the netlink transport and the event monitor report that they are
// not there, and the automatic transport falls back to nothing else.
#include <cerrno>

#include "backends.hpp"
#include "kcall/kcall.hpp"

namespace kcall {

namespace {
Error unavailable()
{
    return Error{EPROTONOSUPPORT, "libkcall was built without netlink support"};
}
}  // namespace

Result<std::unique_ptr<Backend>> open_netlink_backend()
{
    return unavailable();
}

struct Monitor::Impl {};

Result<Monitor> Monitor::open()
{
    return unavailable();
}
Monitor::Monitor(std::unique_ptr<Impl> impl) : impl_(std::move(impl))
{
}
Monitor::Monitor(Monitor &&) noexcept = default;
Monitor &Monitor::operator=(Monitor &&) noexcept = default;
Monitor::~Monitor() = default;
int Monitor::fd() const
{
    return -1;
}
Result<Event> Monitor::next(int)
{
    return unavailable();
}

}  // namespace kcall
