// SPDX-License-Identifier: GPL-2.0-only
// Reading netlink attributes the module wrote, strictly: every length in
// bounds, every padding byte zero (a non-zero one is memory the module did
// not mean to send), every payload of the size its type has.
#pragma once

#include <linux/netlink.h>

#include <cstddef>
#include <cstring>
#include <vector>

#include "oracle.h"

namespace kcall_fuzz {

// Walks attributes, checking lengths and that padding is zero; f(type, data, len).
template <typename F>
inline void walk(const char *p, size_t len, const char *what, F f)
{
    size_t off = 0;
    while (off < len) {
        nlattr a;
        if (len - off < NLA_HDRLEN)
            violation("%s: %zu stray bytes after the attributes", what, len - off);
        std::memcpy(&a, p + off, sizeof(a));
        if (a.nla_len < NLA_HDRLEN || a.nla_len > len - off)
            violation("%s: attribute length %u at %zu of %zu", what, a.nla_len, off, len);
        const size_t aligned = NLA_ALIGN(static_cast<size_t>(a.nla_len));
        for (size_t i = a.nla_len; i < aligned && off + i < len; i++) {
            if (p[off + i])
                violation("%s: padding byte after attribute %u is %#x", what, a.nla_type,
                          static_cast<unsigned char>(p[off + i]));
        }
        f(a.nla_type, p + off + NLA_HDRLEN, static_cast<size_t>(a.nla_len - NLA_HDRLEN));
        off += aligned;
    }
}

// Appends attribute type with len bytes of data, padded with zeros.
inline void put_attr(std::vector<char> &m, uint16_t type, const void *data, size_t len)
{
    const size_t at = m.size();
    m.resize(at + NLA_ALIGN(NLA_HDRLEN + len), 0);
    const nlattr a{static_cast<uint16_t>(NLA_HDRLEN + len), type};
    std::memcpy(m.data() + at, &a, sizeof(a));
    if (len)
        std::memcpy(m.data() + at + NLA_HDRLEN, data, len);
}

template <typename T>
inline T value_of(const char *p, size_t len, size_t want, const char *what)
{
    if (len != want || want != sizeof(T))
        violation("%s: attribute of %zu bytes where %zu belong", what, len, want);
    T v;
    std::memcpy(&v, p, sizeof(v));
    return v;
}

}  // namespace kcall_fuzz
