// SPDX-License-Identifier: GPL-2.0-only
// One operation call, independent of the transport that carries it, so the
// same table of expectations runs against every transport.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kcall/kcall.hpp"

namespace kcall_test {

// The operations as libkcall names them (the raw transports below do not
// use the library otherwise: they check the ABI independently of it).
using Op = kcall::Op;

inline const char *op_name(Op op)
{
    return kcall::to_string(op);
}

struct Outcome {
    int err = 0;          // 0 or the errno the call failed with
    int64_t value = 0;    // the result when err == 0 (0 for void operations)
    std::string message;  // the kernel's explanation (netlink extended ACK)
};

struct StatsOutcome {
    int err = 0;
    std::string message;
    std::vector<kcall::OpStats> entries;
};

struct VersionOutcome {
    int err = 0;
    uint32_t abi_version = 0;
    uint64_t features = 0;
};

class Transport {
public:
    virtual ~Transport() = default;
    virtual std::string name() const = 0;
    // The operations with an int argument and result, and stats_reset.
    virtual Outcome call(Op op, int32_t arg) = 0;
    virtual Outcome message(const std::string &text) = 0;
    virtual StatsOutcome stats() = 0;
    virtual VersionOutcome version() = 0;
    // Whether failures come with the kernel's explanation.
    virtual bool explains_errors() const { return false; }
};

std::unique_ptr<Transport> make_ioctl_transport();
std::unique_ptr<Transport> make_netlink_transport();
// Through libkcall: its C++ and C APIs, over each transport.
std::unique_ptr<Transport> make_cpp_ioctl_transport();
std::unique_ptr<Transport> make_cpp_netlink_transport();
std::unique_ptr<Transport> make_c_ioctl_transport();
std::unique_ptr<Transport> make_c_netlink_transport();

// Every transport above, by name, for parameterised tests.
struct NamedTransport {
    const char *name;
    std::unique_ptr<Transport> (*make)();
};
const std::vector<NamedTransport> &all_transports();

}  // namespace kcall_test
