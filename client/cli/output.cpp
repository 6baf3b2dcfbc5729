// SPDX-License-Identifier: MIT
#include "output.hpp"

#include <cstdio>
#include <cstring>
#include <sstream>

#include <kcall.h>  // the uapi: KCALL_CMD_BATCH, KCALL_FEATURE

#include "cli.hpp"

namespace kcall::cli {

namespace {

// Bit masks of 64 bits do not fit a JSON number exactly (2^53): hex strings.
std::string hex64(uint64_t v)
{
    char buf[24];
    std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

// A feature bit's name: an operation's, "batch", or "io_uring" (bit 63).
std::string feature_label(uint32_t bit)
{
    return KCALL_FEATURE(bit) == KCALL_FEATURE_URING_CMD ? "io_uring" : op_label(bit);
}

std::vector<std::string> feature_names(uint64_t features)
{
    std::vector<std::string> names;
    for (uint32_t n = 1; n < 64; n++)
        if ((features >> n) & 1U)
            names.push_back(feature_label(n));
    return names;
}

}  // namespace

std::string dump(const Json &j)
{
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string op_label(uint32_t number)
{
    Op op{};
    if (op_from_number(number, &op))
        return to_string(op);
    // Batches are announced by their feature bit, not an operation.
    return number == KCALL_CMD_BATCH ? "batch" : "op" + std::to_string(number);
}

std::string stats_text(const std::vector<OpStats> &stats)
{
    std::ostringstream o;
    char line[96];
    std::snprintf(line, sizeof(line), "%-12s %20s %20s", "op", "calls", "failures");
    o << line;
    for (const auto &s : stats) {
        std::snprintf(line, sizeof(line), "\n%-12s %20llu %20llu", op_label(s.op).c_str(),
                      static_cast<unsigned long long>(s.calls),
                      static_cast<unsigned long long>(s.failures));
        o << line;
    }
    return o.str();
}

Json stats_json(const std::vector<OpStats> &stats)
{
    Json a = Json::array();
    for (const auto &s : stats)
        a.push_back({{"op", op_label(s.op)}, {"calls", s.calls}, {"failures", s.failures}});
    return a;
}

std::string version_text(const ModuleVersion &v)
{
    std::string o = "abi " + std::to_string(v.abi_version) + "\nfeatures";
    for (const auto &n : feature_names(v.features))
        o += " " + n;
    return o;
}

Json version_json(const ModuleVersion &v)
{
    return {{"abi_version", v.abi_version},
            {"features_mask", hex64(v.features)},
            {"features", feature_names(v.features)}};
}

Json error_json(const std::string &op, const char *transport, const Error &e)
{
    return {
        {"op", op},
        {"transport", transport},
        {"error", {{"errno", e.code}, {"message", std::strerror(e.code)}, {"kernel", e.message}}}};
}

// So that the text between quotes can neither end them, nor start a line,
// nor send the terminal an escape sequence.
std::string escaped(std::string_view bytes)
{
    static constexpr char hex[] = "0123456789abcdef";
    std::string o;
    for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            o += ch;
            continue;
        }
        o += "\\x";
        o += hex[c >> 4];
        o += hex[c & 0xf];
    }
    return o;
}

std::string event_line(const Event &e, bool json)
{
    if (json) {
        Json j = {{"op", op_label(e.op)},
                  {"transport", to_string(e.transport)},
                  {"pid", e.pid},
                  {"comm", e.comm},
                  {"arg", e.arg}};
        if (e.error)
            j["errno"] = e.error;
        else
            j["result"] = e.result;
        return dump(j);
    }
    std::string o = std::string(to_string(e.transport)) + " " + op_label(e.op) + " pid " +
                    std::to_string(e.pid) + " comm \"" + escaped(e.comm) + "\" arg " +
                    std::to_string(e.arg) + " -> ";
    if (e.error)
        o += "error " + std::to_string(e.error) + " (" + std::strerror(e.error) + ")";
    else
        o += std::to_string(e.result);
    return o;
}

}  // namespace kcall::cli
