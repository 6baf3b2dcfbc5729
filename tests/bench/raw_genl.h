// SPDX-License-Identifier: GPL-2.0-only
// A hand-written generic netlink client for one request: the floor the
// library's netlink transport is measured against. No libnl: one socket,
// one prebuilt request buffer, one sendmsg and one recvmsg per call.
#pragma once

#include <cstdint>

namespace kcall_bench {

class RawGenl {
public:
    RawGenl();
    ~RawGenl();
    RawGenl(const RawGenl &) = delete;
    RawGenl &operator=(const RawGenl &) = delete;

    bool ok() const { return family_ != 0; }
    // retparam(value) round trip; 0 and *result, or the errno.
    int retparam(int32_t value, int32_t *result);

private:
    int fd_ = -1;
    uint16_t family_ = 0;
    uint32_t seq_ = 0;
};

}  // namespace kcall_bench
