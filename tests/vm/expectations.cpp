// SPDX-License-Identifier: GPL-2.0-only
#include "expectations.h"

#include <unistd.h>

#include <cerrno>
#include <climits>

#include <kcall.h>

namespace kcall_test {

namespace {

auto equals(int64_t expected)
{
    return [expected](int64_t value, std::string *want) {
        *want = std::to_string(expected);
        return value == expected;
    };
}

// Evaluated at call time: pids are those of the process running the test.
auto equals_fn(int64_t (*expected)())
{
    return [expected](int64_t value, std::string *want) {
        const int64_t e = expected();
        *want = std::to_string(e);
        return value == e;
    };
}

auto positive()
{
    return [](int64_t value, std::string *want) {
        *want = "> 0";
        return value > 0;
    };
}

}  // namespace

const std::vector<Expectation> &expectations()
{
    static const std::vector<Expectation> table = {
        {"goodbye", Op::goodbye, 0, 0, equals(0)},
        {"showparams_42", Op::showparams, 42, 0, equals(0)},
        {"showparams_negative", Op::showparams, -7, 0, equals(0)},
        {"showparams_int_min", Op::showparams, INT_MIN, 0, equals(0)},
        {"retparam_0", Op::retparam, 0, 0, equals(0)},
        {"retparam_1", Op::retparam, 1, 0, equals(1)},
        {"retparam_512", Op::retparam, 512, 0, equals(512)},
        {"retparam_1024", Op::retparam, KCALL_RETPARAM_MAX, 0, equals(1024)},
        {"retparam_1025", Op::retparam, 1025, EINVAL, nullptr, "value above 1024"},
        {"retparam_minus_1", Op::retparam, -1, EINVAL, nullptr, "value above 1024"},
        {"retparam_minus_1024", Op::retparam, -1024, EINVAL, nullptr},
        {"retparam_int_min", Op::retparam, INT_MIN, EINVAL, nullptr},
        {"retparam_int_max", Op::retparam, INT_MAX, EINVAL, nullptr},
        {"retpid_self", Op::retpid, KCALL_RETPID_SELF, 0,
         equals_fn([]() -> int64_t { return getpid(); })},
        {"retpid_parent", Op::retpid, KCALL_RETPID_PARENT, 0,
         equals_fn([]() -> int64_t { return getppid(); })},
        {"retpid_2", Op::retpid, 2, EINVAL, nullptr, "unknown retpid selector"},
        {"retpid_minus_1", Op::retpid, -1, EINVAL, nullptr, "unknown retpid selector"},
        {"retpid_int_max", Op::retpid, INT_MAX, EINVAL, nullptr},
        {"taskcount", Op::taskcount, 0, 0, positive()},
        {"message_hello", Op::message, 0, 0, equals(0), nullptr, "hello"},
        {"message_empty", Op::message, 0, 0, equals(0), nullptr, ""},
        {"message_newline", Op::message, 0, 0, equals(0), nullptr, "two\nlines"},
        {"message_255", Op::message, 0, 0, equals(0), nullptr, std::string(255, 'x')},
        {"message_256", Op::message, 0, EINVAL, nullptr, nullptr, std::string(256, 'x')},
        {"message_4096", Op::message, 0, EINVAL, nullptr, nullptr, std::string(4096, 'x')},
    };
    return table;
}

}  // namespace kcall_test
