// SPDX-License-Identifier: GPL-2.0-only
// A hand-written generic netlink client: the floor the library's netlink
// transport is measured against (no libnl: one send and one recv per
// call), and the byte-level view the info-leak tests need.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace kcall_test {

class RawGenl {
public:
    RawGenl();
    // Adopts a generic netlink socket opened elsewhere (passed over a unix
    // socket, say) and resolves the family on it.
    explicit RawGenl(int fd);
    ~RawGenl();
    RawGenl(const RawGenl &) = delete;
    RawGenl &operator=(const RawGenl &) = delete;

    bool ok() const { return family_ != 0; }
    uint16_t family() const { return family_; }
    int fd() const { return fd_; }
    // retparam(value) round trip; 0 and *result, or the errno.
    int retparam(int32_t value, int32_t *result);
    // The same request (a value attribute) to command cmd.
    int request(uint8_t cmd, int32_t value, int32_t *result);
    // Sends cmd with s32 attributes {type, value}... and returns the bytes
    // of the answer (reply or error), empty on a socket error.
    std::vector<char> roundtrip(uint8_t cmd,
                                const std::vector<std::pair<uint16_t, int32_t>> &attrs);
    // Sends cmd with attributes already encoded; 0 when the answer is a
    // reply, else the errno of its error message or of the socket.
    int call(uint8_t cmd, const std::vector<char> &attrs);

private:
    void resolve();
    // Sends cmd with the encoded attributes; the answer's bytes in *answer,
    // 0 or the socket's errno.
    int exchange(uint8_t cmd, const std::vector<char> &attrs, std::vector<char> *answer);

    int fd_ = -1;
    uint16_t family_ = 0;
    uint32_t seq_ = 0;
};

}  // namespace kcall_test
