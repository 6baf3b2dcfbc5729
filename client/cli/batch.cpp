// SPDX-License-Identifier: MIT
// "kcall batch": operations read one per line (as "ip -batch" reads its
// commands), all checked before any runs, then run as one batch.
#include "batch.hpp"

#include <cerrno>
#include <climits>
#include <sstream>

#include "integer.hpp"

namespace kcall::cli {

namespace {

// "retpid self" -> {"retpid", "self"}; '#' starts a comment.
std::vector<std::string> words(const std::string &line)
{
    std::istringstream in(line.substr(0, line.find('#')));
    std::vector<std::string> w;
    for (std::string s; in >> s;)
        w.push_back(s);
    return w;
}

}  // namespace

Result<std::vector<BatchLine>> parse_batch(std::istream &in)
{
    std::vector<BatchLine> lines;
    std::string text;
    for (size_t n = 1; std::getline(in, text); n++) {
        const auto w = words(text);
        if (w.empty())
            continue;
        auto bad = [&](const std::string &why) {
            return Error{EINVAL, "line " + std::to_string(n) + ": " + why};
        };
        BatchLine l{n, w[0], Op::goodbye, 0};
        const bool takes_arg = w[0] == "showparams" || w[0] == "retparam" || w[0] == "retpid";
        if (w[0] == "goodbye")
            l.op = Op::goodbye;
        else if (w[0] == "showparams")
            l.op = Op::showparams;
        else if (w[0] == "retparam")
            l.op = Op::retparam;
        else if (w[0] == "retpid")
            l.op = Op::retpid;
        else if (w[0] == "taskcount")
            l.op = Op::taskcount;
        else if (w[0] == "stats-reset")
            l.op = Op::stats_reset;
        else
            return bad("'" + w[0] +
                       "' cannot be in a batch (goodbye, showparams, retparam, "
                       "retpid, taskcount, stats-reset)");
        if (w.size() != (takes_arg ? 2U : 1U))
            return bad(w[0] + (takes_arg ? " takes one argument" : " takes no argument"));
        std::string why;
        if (l.op == Op::retpid && (w[1] == "self" || w[1] == "parent"))
            l.arg = w[1] == "self" ? KCALL_RETPID_SELF : KCALL_RETPID_PARENT;
        else if (takes_arg && !parse_integer<int32_t>(w[1], INT32_MIN, INT32_MAX, &l.arg, &why))
            return bad(why);
        lines.push_back(l);
    }
    if (in.bad())
        return Error{EIO, "cannot read the batch"};
    // A bound on what one command line is for, far above one kernel call.
    constexpr size_t kMaxLines = size_t{64} * KCALL_BATCH_MAX;
    if (lines.size() > kMaxLines)
        return Error{E2BIG, "more than " + std::to_string(kMaxLines) + " operations"};
    return lines;
}

}  // namespace kcall::cli
