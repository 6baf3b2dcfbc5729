// SPDX-License-Identifier: GPL-2.0-only
// The operations the module under test must have, for the tests that pin
// the ABI's operation set (the features mask, the stats entries, the CLI's
// listing): written out here, once, independently of the module's and the
// library's own tables. A new operation is one row here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <kcall.h>

namespace kcall_test {

struct ExpectedOp {
    uint32_t number;
    const char *name;  // as the CLI and libkcall print it
};

inline constexpr ExpectedOp kOperations[] = {
    {KCALL_CMD_GOODBYE, "goodbye"},     {KCALL_CMD_SHOWPARAMS, "showparams"},
    {KCALL_CMD_RETPARAM, "retparam"},   {KCALL_CMD_RETPID, "retpid"},
    {KCALL_CMD_TASKCOUNT, "taskcount"}, {KCALL_CMD_MESSAGE, "message"},
    {KCALL_CMD_STATS, "stats"},         {KCALL_CMD_STATS_RESET, "stats-reset"},
    {KCALL_CMD_VERSION, "version"},
};

inline constexpr std::size_t kOperationCount = std::size(kOperations);

// The features mask of a module that has exactly these.
constexpr uint64_t all_operations_mask()
{
    uint64_t m = 0;
    for (const ExpectedOp &op : kOperations)
        m |= KCALL_FEATURE(op.number);
    return m;
}

// "goodbye showparams ... version": the names in number order.
inline std::string operation_names()
{
    std::string s;
    for (const ExpectedOp &op : kOperations)
        s += (s.empty() ? "" : " ") + std::string(op.name);
    return s;
}

}  // namespace kcall_test
