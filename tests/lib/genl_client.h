// SPDX-License-Identifier: GPL-2.0-only
// A minimal libnl-genl-3 client of the kcall family for the in-VM tests:
// builds requests (also deliberately malformed ones) and returns the
// reply's attributes or the error with its extended ACK.
#pragma once

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace kcall_test {

struct GenlReply {
    int err = 0;                        // 0, or the errno of the netlink error
    std::string ext_msg;                // extended ACK message, if any
    int64_t ext_offset = -1;            // extended ACK bad attribute offset
    int64_t miss_type = -1;             // extended ACK missing attribute type
    int reply_cmd = -1;                 // command of the reply message
    std::map<int, std::string> attrs;   // reply attributes: type -> payload
    std::vector<std::string> repeated;  // payloads of every KCALL_A_STATS, KCALL_A_BATCH_OP
};

// The attributes in a nested attribute's payload: type -> payload.
std::map<int, std::string> parse_attrs(const std::string &payload);

class GenlClient {
public:
    GenlClient();
    ~GenlClient();
    GenlClient(const GenlClient &) = delete;
    GenlClient &operator=(const GenlClient &) = delete;

    bool ok() const { return family_ > 0; }
    int family() const { return family_; }
    const std::string &error() const { return error_; }

    // Sends a request for cmd; fill() adds attributes and may edit the
    // message (e.g. the genl header) before it is sent.
    GenlReply request(uint8_t cmd, const std::function<void(nl_msg *)> &fill = {});

private:
    nl_sock *sock_ = nullptr;
    int family_ = -1;
    std::string error_;
};

template <typename T>
T attr_as(const std::string &payload)
{
    T v{};
    if (payload.size() == sizeof(T))
        std::memcpy(&v, payload.data(), sizeof(T));
    return v;
}

}  // namespace kcall_test
