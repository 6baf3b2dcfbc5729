// SPDX-License-Identifier: GPL-2.0-only
// docs/SPEC.md's operation table as data: every success value and every errno.
// Each transport must meet every row identically.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "transport.h"

namespace kcall_test {

struct Expectation {
    std::string label;  // gtest-safe name of the row
    Op op;
    int32_t arg;
    int err;  // expected errno; 0 means success
    // On success: does the value match? Describes the value it wanted.
    std::function<bool(int64_t value, std::string *want)> check;
    // On failure: what the kernel's message must contain, on transports
    // that carry one (netlink's extended ACK).
    const char *why = nullptr;
    // The argument of message rows (arg is unused for them).
    std::string text = {};
};

const std::vector<Expectation> &expectations();

}  // namespace kcall_test
