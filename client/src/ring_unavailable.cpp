// SPDX-License-Identifier: MIT
// libkcall built without liburing (KCALL_WITH_URING=OFF, e.g. the 32-bit
// build): kcall::Ring reports that it is not there.
#include <cerrno>

#include "kcall/kcall.hpp"

namespace kcall {

struct Ring::Impl {};

Result<Ring> Ring::open(const RingOptions &)
{
    return Error{EOPNOTSUPP, "libkcall was built without io_uring support"};
}
Ring::Ring(std::unique_ptr<Impl> impl) : impl_(std::move(impl))
{
}
Ring::Ring(Ring &&) noexcept = default;
Ring &Ring::operator=(Ring &&) noexcept = default;
Ring::~Ring() = default;

// No Ring can exist: open() is the only way to one.
bool Ring::push(Op, int32_t, uint64_t)
{
    return false;
}
Result<unsigned> Ring::submit(unsigned)
{
    return Error{EOPNOTSUPP, {}};
}
std::size_t Ring::reap(RingCompletion *, std::size_t)
{
    return 0;
}
Result<RingCompletion> Ring::next()
{
    return Error{EOPNOTSUPP, {}};
}
unsigned Ring::in_flight() const
{
    return 0;
}

}  // namespace kcall
