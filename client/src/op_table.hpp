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

#include "kcall/kcall.hpp"

namespace kcall {

// Room for the argument struct of any simple operation (the module's own
// buffer holds 32 bytes too).
inline constexpr std::size_t kMaxArgSize = 32;

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

// The rows, indexed by Op (op_table.cpp).
extern const OpInfo kOpTable[];

// The row of op (every Op has one). Inline: every call looks it up.
inline const OpInfo &op_info(Op op)
{
    return kOpTable[static_cast<std::size_t>(op)];
}

// The row of operation number n, nullptr for a number no Op has.
const OpInfo *op_info_by_number(uint32_t n);

}  // namespace kcall
