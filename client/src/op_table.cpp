// SPDX-License-Identifier: MIT
#include "op_table.hpp"

#include <cstddef>
#include <iterator>

#include <kcall.h>  // the uapi

namespace kcall {

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
