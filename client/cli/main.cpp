// SPDX-License-Identifier: MIT
// kcall(1): the command line client.
#include <iostream>

#include "cli.hpp"

int main(int argc, char **argv)
{
    return kcall::cli::run(argc, argv, std::cout, std::cerr,
                           [](kcall::Transport t) { return kcall::Client::open(t); });
}
