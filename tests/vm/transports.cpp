// SPDX-License-Identifier: GPL-2.0-only
#include "transport.h"

namespace kcall_test {

const std::vector<NamedTransport> &all_transports()
{
    static const std::vector<NamedTransport> all = {
        {"ioctl", make_ioctl_transport},         {"netlink", make_netlink_transport},
        {"cpp_ioctl", make_cpp_ioctl_transport}, {"cpp_netlink", make_cpp_netlink_transport},
        {"c_ioctl", make_c_ioctl_transport},     {"c_netlink", make_c_netlink_transport},
    };
    return all;
}

}  // namespace kcall_test
