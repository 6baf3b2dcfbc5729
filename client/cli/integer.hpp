// SPDX-License-Identifier: MIT
// The kcall CLI's integers: decimal or 0x-prefixed hex (kcall(1)), for
// arguments and batch lines alike. A leading 0 is decimal: "010" is 10.
#pragma once

#include <cctype>
#include <charconv>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace kcall::cli {

// A decimal or 0x-hex integer in [lo, hi]; why it is not, otherwise.
template <typename T>
bool parse_integer(const std::string &s, T lo, T hi, T *out, std::string *why)
{
    std::string_view v(s);
    const bool negative = !v.empty() && v[0] == '-';
    if (!v.empty() && (v[0] == '-' || v[0] == '+'))
        v.remove_prefix(1);
    int base = 10;
    if (v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
        base = 16;
        v.remove_prefix(2);
    }
    unsigned long long mag = 0;
    const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), mag, base);
    if (v.empty() || !std::isxdigit(static_cast<unsigned char>(v[0])) || p != v.data() + v.size() ||
        (ec != std::errc() && ec != std::errc::result_out_of_range)) {
        *why = "'" + s + "' is not an integer";
        return false;
    }
    bool in_range = ec == std::errc();
    if (in_range && negative && mag != 0) {
        if constexpr (std::is_unsigned_v<T>) {
            in_range = false;
        } else {
            // -lo without overflow: lo is at least LLONG_MIN.
            const auto most =
                static_cast<unsigned long long>(-(static_cast<long long>(lo) + 1)) + 1;
            in_range = lo < 0 && mag <= most;
            if (in_range)
                *out = static_cast<T>(-static_cast<long long>(mag - 1) - 1);
        }
    } else if (in_range) {
        in_range = mag <= static_cast<unsigned long long>(hi);
        if (in_range)
            *out = static_cast<T>(mag);
    }
    if (!in_range)
        *why = "'" + s + "' is out of range (" + std::to_string(lo) + " to " + std::to_string(hi) +
               ")";
    return in_range;
}

}  // namespace kcall::cli
