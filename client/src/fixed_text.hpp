// SPDX-License-Identifier: MIT
// A short text in a fixed array, for per-thread messages.
// Internal: not installed, not part of the ABI.
#pragma once

#include <algorithm>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace kcall {

// What a thread_local can hold with no constructor to run and no
// destructor: glibc destroys a thread's thread_local objects before its
// pthread key destructors and, in exit(), before the atexit handlers, and
// both may still call the library. Setting it allocates nothing and never
// fails; a text longer than the array is cut.
class FixedText {
public:
    void set(std::string_view text) noexcept
    {
        const std::size_t n = std::min(text.size(), sizeof(text_) - 1);
        std::memcpy(text_, text.data(), n);
        text_[n] = '\0';
    }
    void clear() noexcept { text_[0] = '\0'; }
    bool empty() const noexcept { return text_[0] == '\0'; }
    const char *c_str() const noexcept { return text_; }

private:
    // Far above any message of the kernel (extended ACK) or the library.
    char text_[256];
};

static_assert(std::is_trivially_default_constructible_v<FixedText> &&
                  std::is_trivially_destructible_v<FixedText>,
              "a thread_local FixedText must need no constructor and no destructor");

}  // namespace kcall
