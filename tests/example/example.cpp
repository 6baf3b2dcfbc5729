// SPDX-License-Identifier: MIT
// libkcall from C++: an RAII client and value-or-error results.
#include <kcall/kcall.hpp>

#include <iostream>

int main()
{
    auto client = kcall::Client::open(kcall::Transport::netlink);
    if (!client) {
        std::cout << "kcall::Client::open: " << client.error().what() << "\n";
        return 0;
    }
    if (auto n = client->taskcount())
        std::cout << "taskcount = " << *n << "\n";
    else
        std::cout << "taskcount: " << n.error().what() << "\n";
    return 0;
}
