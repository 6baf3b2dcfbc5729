// SPDX-License-Identifier: MIT
// libkcall from C++: an RAII client and value-or-error results.
#include <kcall/kcall.hpp>

#include <cstring>
#include <iostream>

int main()
{
    if (std::strcmp(kcall::library_version(), KCALL_VERSION_STRING) != 0)
        return 1;
    auto client = kcall::Client::open(kcall::Transport::netlink);
    if (!client) {
        std::cout << "kcall::Client::open: " << client.error().what() << "\n";
        return 0;
    }
    std::cout << "taskcount = "
              << client->taskcount()
                     .transform([](uint64_t n) { return std::to_string(n); })
                     .value_or("unknown")
              << "\n";
    return 0;
}
