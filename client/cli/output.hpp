// SPDX-License-Identifier: MIT
// What the kcall CLI prints: results and errors as text and as JSON.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kcall/kcall.hpp"

namespace kcall::cli {

// Keys in the order they are written.
using Json = nlohmann::ordered_json;

// One line of JSON. Strings from the kernel (comm) may be any bytes: each
// byte that is not valid UTF-8 becomes U+FFFD instead of an exception.
std::string dump(const Json &j);

// An operation's name by its number; "batch" or "opN" for numbers that
// name none.
std::string op_label(uint32_t number);

std::string stats_text(const std::vector<OpStats> &stats);
Json stats_json(const std::vector<OpStats> &stats);
std::string version_text(const ModuleVersion &v);
Json version_json(const ModuleVersion &v);

// A failed call as JSON: what kcall(1) promises for --json on failure.
Json error_json(const std::string &op, const char *transport, const Error &e);

// Bytes from the kernel (a comm) as the kernel log shows them: each byte
// that is not printable ASCII, and the quote and the backslash, as \xHH.
std::string escaped(std::string_view bytes);

}  // namespace kcall::cli
