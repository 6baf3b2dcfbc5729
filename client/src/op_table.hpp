// SPDX-License-Identifier: MIT
// One row per operation: its name and how each transport carries it, so
// that the backends and the names need no per-operation code. Operations
// "with one int argument and result" (Backend::call) are described whole
// here; the others (message, stats, version) have their own calls and only
// a name and number here.
// Internal: not installed, not part of the ABI.
#pragma once

#include <cstddef>
#include <cstdint>

#include <kcall.h>  // the uapi

#include "kcall/kcall.hpp"

namespace kcall {

// Room for the argument struct of any simple operation (Backend::call):
// two words, so that the ioctl backend zeroes it with two stores.
inline constexpr std::size_t kMaxArgSize = 16;

struct OpInfo {
    Op op;
    uint32_t number;   // the uapi's (enum kcall_cmd): 10 is the event's, no op's
    const char *name;  // as the module, the CLI and events name it
    // /dev/kcall: the ioctl and its struct, with the offsets of the __s32
    // argument and of the result (0: none; offset 0 is the size member).
    unsigned long ioctl = 0;
    uint32_t size = 0;
    uint32_t arg_offset = 0;
    uint32_t result_offset = 0;
    uint32_t result_size = 0;  // 4 (__s32) or 8 (__u64)
    // Netlink: the argument's attribute (s32) and the result's (s32, or
    // u64 when result_size is 8); 0: none.
    uint16_t arg_attr = 0;
    uint16_t result_attr = 0;
    bool simple = false;  // carried by Backend::call
};

// The rows, indexed by Op; in the header, so that a backend can build a
// call per row with its offsets as constants (op_table.cpp checks them).
// In Op's order. Adding an operation of one int argument and result is
// one row here (and its Op, its Client method); see
// docs/ADDING-AN-OPERATION.md.
inline constexpr OpInfo kOpTable[] = {
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

// The row of op (every Op has one). Inline: every call looks it up.
inline const OpInfo &op_info(Op op)
{
    return kOpTable[static_cast<std::size_t>(op)];
}

// The row of operation number n, nullptr for a number no Op has.
const OpInfo *op_info_by_number(uint32_t n);

}  // namespace kcall
