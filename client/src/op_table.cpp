// SPDX-License-Identifier: MIT
#include "op_table.hpp"

#include <cstddef>
#include <iterator>

#include <kcall.h>  // the uapi

namespace kcall {

// In Op's order. Adding an operation of one int argument and result is
// one row here (and its Op, its Client method); see
// docs/ADDING-AN-OPERATION.md.
extern constexpr OpInfo kOpTable[] = {
    OpInfo{.op = Op::goodbye,
           .number = KCALL_CMD_GOODBYE,
           .name = "goodbye",
           .ioctl = KCALL_IOC_GOODBYE,
           .size = sizeof(struct kcall_goodbye),
           .simple = true},
    OpInfo{.op = Op::showparams,
           .number = KCALL_CMD_SHOWPARAMS,
           .name = "showparams",
           .ioctl = KCALL_IOC_SHOWPARAMS,
           .size = sizeof(struct kcall_showparams),
           .arg_offset = offsetof(struct kcall_showparams, value),
           .arg_attr = KCALL_A_VALUE,
           .simple = true},
    OpInfo{.op = Op::retparam,
           .number = KCALL_CMD_RETPARAM,
           .name = "retparam",
           .ioctl = KCALL_IOC_RETPARAM,
           .size = sizeof(struct kcall_retparam),
           .arg_offset = offsetof(struct kcall_retparam, value),
           .result_offset = offsetof(struct kcall_retparam, result),
           .result_size = sizeof(kcall_retparam::result),
           .arg_attr = KCALL_A_VALUE,
           .result_attr = KCALL_A_RESULT,
           .simple = true},
    OpInfo{.op = Op::retpid,
           .number = KCALL_CMD_RETPID,
           .name = "retpid",
           .ioctl = KCALL_IOC_RETPID,
           .size = sizeof(struct kcall_retpid),
           .arg_offset = offsetof(struct kcall_retpid, which),
           .result_offset = offsetof(struct kcall_retpid, pid),
           .result_size = sizeof(kcall_retpid::pid),
           .arg_attr = KCALL_A_WHICH,
           .result_attr = KCALL_A_PID,
           .simple = true},
    OpInfo{.op = Op::taskcount,
           .number = KCALL_CMD_TASKCOUNT,
           .name = "taskcount",
           .ioctl = KCALL_IOC_TASKCOUNT,
           .size = sizeof(struct kcall_taskcount),
           .result_offset = offsetof(struct kcall_taskcount, count),
           .result_size = sizeof(kcall_taskcount::count),
           .result_attr = KCALL_A_COUNT,
           .simple = true},
    OpInfo{.op = Op::message,
           .number = KCALL_CMD_MESSAGE,
           .name = "message",
           .ioctl = KCALL_IOC_MESSAGE},
    OpInfo{.op = Op::stats, .number = KCALL_CMD_STATS, .name = "stats", .ioctl = KCALL_IOC_STATS},
    OpInfo{.op = Op::stats_reset,
           .number = KCALL_CMD_STATS_RESET,
           .name = "stats-reset",
           .ioctl = KCALL_IOC_STATS_RESET,
           .size = sizeof(struct kcall_stats_reset),
           .simple = true},
    OpInfo{.op = Op::version,
           .number = KCALL_CMD_VERSION,
           .name = "version",
           .ioctl = KCALL_IOC_VERSION},
};

namespace {

// Row i is Op i, numbers ascend and skip the event's, the struct fits
// the backends' buffer; a result is 4 or 8 bytes.
constexpr bool well_formed()
{
    for (std::size_t i = 0; i < std::size(kOpTable); i++) {
        const OpInfo &o = kOpTable[i];
        if (static_cast<std::size_t>(o.op) != i || o.size > kMaxArgSize)
            return false;
        if (o.number == KCALL_CMD_EVENT || (i && o.number <= kOpTable[i - 1].number))
            return false;
        if (o.result_offset && o.result_size != 4 && o.result_size != 8)
            return false;
        if ((o.arg_offset && o.arg_offset + 4 > o.size) ||
            (o.result_offset && o.result_offset + o.result_size > o.size))
            return false;
    }
    return true;
}
static_assert(well_formed(), "kOpTable: one row per Op, in Op's order");

}  // namespace

const OpInfo *op_info_by_number(uint32_t n)
{
    for (const OpInfo &o : kOpTable)
        if (o.number == n)
            return &o;
    return nullptr;
}

}  // namespace kcall
