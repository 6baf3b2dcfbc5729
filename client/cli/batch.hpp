// SPDX-License-Identifier: MIT
// The kcall CLI's batch input: one operation per line.
#pragma once

#include <istream>
#include <string>
#include <vector>

#include <kcall.h>  // the uapi

#include "kcall/kcall.hpp"

namespace kcall::cli {

// One operation of a batch file, and where it was.
struct BatchLine {
    size_t line = 0;   // 1-based
    std::string name;  // as written: "retparam"
    Op op = Op::goodbye;
    int32_t arg = 0;
};

// Reads "OP [ARG]" lines: goodbye, showparams N, retparam N, retpid
// self|parent|N, taskcount, stats-reset; blank lines and '#' comments are
// skipped. EINVAL "line N: ..." for the first line that is not one.
Result<std::vector<BatchLine>> parse_batch(std::istream &in);

}  // namespace kcall::cli
