// SPDX-License-Identifier: GPL-2.0-only
// kcall_fuzz: random requests at both transports, reproducible by seed.
//
//   kcall_fuzz --seed S --count N [--transport ioctl|netlink|both]
//
// ioctl: random command numbers (kcall's with random direction and size
// bits, other types, garbage), random size fields and contents, and
// argument pointers that are valid, NULL, unmapped, read-only, straddle
// an unmapped page or point into the kernel; message and stats get random
// inner pointers the same way.
// netlink: random commands, genl versions and reserved bytes, netlink
// flags (including dump and ACK), attribute types, lengths and contents,
// nests of random attributes up to three deep, nested and byte-order flag
// bits on anything, truncated and oversized messages.
//
// Exits 0 when every request got an answer (any errno is fine: the kernel
// decides) and the module still answers correctly afterwards; prints a
// summary line per transport. The kernel log check of the VM runner is
// what catches a splat.
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <kcall.h>

#include "raw_genl.h"

namespace {

using Rng = std::mt19937_64;

uint64_t pick(Rng &rng, uint64_t n)
{
    return std::uniform_int_distribution<uint64_t>(0, n - 1)(rng);
}

void fill(Rng &rng, void *p, size_t n)
{
    auto *b = static_cast<unsigned char *>(p);
    const int style = static_cast<int>(pick(rng, 4));
    for (size_t i = 0; i < n; i++)
        b[i] = style == 0 ? 0 : style == 1 ? 0xff : static_cast<unsigned char>(rng());
    if (style == 3 && n >= 8)  // mostly zero with a few random bytes
        for (size_t i = 0; i < n; i++)
            b[i] = pick(rng, 8) ? 0 : static_cast<unsigned char>(rng());
}

// Memory to point at: a writable area, a read-only page and a hole.
struct Arena {
    size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    char *rw = nullptr;  // 2 pages rw, then 1 page inaccessible
    char *ro = nullptr;  // 1 page read-only

    // One mapping, so that no later mapping can land in the hole: two
    // writable pages, an inaccessible one (faults as an unmapped page
    // does), a read-only one.
    Arena()
    {
        void *m =
            mmap(nullptr, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        rw = static_cast<char *>(m);
        mprotect(rw + 2 * page, page, PROT_NONE);
        ro = rw + 3 * page;
        mprotect(ro, page, PROT_READ);
    }

    // A pointer of a random kind; *usable tells whether we may write there.
    uint64_t pointer(Rng &rng, size_t want, bool *usable)
    {
        *usable = false;
        switch (pick(rng, 8)) {
            case 0:
                return 0;
            case 1:
                return 0xffffffff81000000ULL + pick(rng, 1 << 20);  // kernel text
            case 2:
                return reinterpret_cast<uintptr_t>(ro);
            case 3:  // straddles the hole
                return reinterpret_cast<uintptr_t>(rw + 2 * page - 1 - pick(rng, want ? want : 1));
            case 4:
                return reinterpret_cast<uintptr_t>(rw + 2 * page);  // the hole
            case 5:
                return rng();  // anything
            default: {
                const size_t room = 2 * page - want;
                *usable = true;
                return reinterpret_cast<uintptr_t>(rw + pick(rng, room > 0 ? room : 1));
            }
        }
    }
};

unsigned long random_ioctl_cmd(Rng &rng)
{
    // Both ranges: today's and ABI 2's deprecated one.
    const unsigned base = pick(rng, 2) ? KCALL_IOC_NR_BASE : KCALL_IOC_NR_BASE_ABI2;
    const unsigned nr = base + static_cast<unsigned>(pick(rng, 12)) - 1;
    switch (pick(rng, 6)) {
        case 0:
        case 1:
        case 2:
            return _IO(KCALL_IOCTL_TYPE, nr);  // mostly real commands
        case 3:
            return _IOC(pick(rng, 4), KCALL_IOCTL_TYPE, nr, pick(rng, 1 << 14));
        case 4:
            return _IOC(pick(rng, 4), pick(rng, 256), pick(rng, 256), pick(rng, 1 << 14));
        default:
            return static_cast<unsigned long>(rng());
    }
}

int fuzz_ioctl(Rng &rng, uint64_t count)
{
    const int fd = open("/dev/" KCALL_DEVICE_NAME, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        std::perror("kcall_fuzz: /dev/kcall");
        return 1;
    }
    Arena arena;
    std::map<int, uint64_t> errnos;
    for (uint64_t i = 0; i < count; i++) {
        const unsigned long cmd = random_ioctl_cmd(rng);
        const size_t len = pick(rng, 4) ? pick(rng, 48) : pick(rng, 2 * arena.page);
        bool usable = false;
        const uint64_t arg = arena.pointer(rng, len, &usable);
        if (usable) {
            auto *p = reinterpret_cast<char *>(arg);
            fill(rng, p, len);
            if (len >= 4) {  // a plausible size field most of the time
                uint32_t size =
                    pick(rng, 3) ? static_cast<uint32_t>(len) : static_cast<uint32_t>(rng());
                std::memcpy(p, &size, sizeof(size));
            }
            if (len >= 16 && pick(rng, 2)) {  // message text / stats entries
                bool inner_usable = false;
                const uint64_t inner = arena.pointer(rng, 300, &inner_usable);
                if (inner_usable)
                    fill(rng, reinterpret_cast<void *>(inner), 300);
                std::memcpy(p + 8, &inner, sizeof(inner));
                uint32_t n = static_cast<uint32_t>(pick(rng, 3) ? pick(rng, 12) : rng());
                std::memcpy(p + 16 < p + len - 4 ? p + 16 : p, &n, sizeof(n));
            }
        }
        const int r = ioctl(fd, cmd, arg);
        errnos[r == 0 ? 0 : errno]++;
    }
    close(fd);
    std::printf("kcall_fuzz: ioctl: %llu calls:", static_cast<unsigned long long>(count));
    for (const auto &[e, n] : errnos)
        std::printf(" %s=%llu", e ? strerrorname_np(e) : "ok", static_cast<unsigned long long>(n));
    std::printf("\n");
    return 0;
}

// Builders for deliberately odd generic netlink messages.
namespace genl_msg {

std::vector<char> header(uint16_t type, uint16_t flags, uint8_t cmd, uint8_t version,
                         uint16_t reserved)
{
    std::vector<char> m(NLMSG_HDRLEN + GENL_HDRLEN, 0);
    auto *nlh = reinterpret_cast<nlmsghdr *>(m.data());
    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = flags;
    auto *g = reinterpret_cast<genlmsghdr *>(m.data() + NLMSG_HDRLEN);
    g->cmd = cmd;
    g->version = version;
    g->reserved = reserved;
    return m;
}

void attr(std::vector<char> &m, uint16_t type, const void *data, size_t len)
{
    nlattr a{static_cast<uint16_t>(NLA_HDRLEN + len), type};
    const size_t at = m.size();
    m.resize(at + NLA_ALIGN(NLA_HDRLEN + len), 0);
    std::memcpy(m.data() + at, &a, sizeof(a));
    if (len)
        std::memcpy(m.data() + at + NLA_HDRLEN, data, len);
}

// Appends 0-4 random attributes: random types (kcall's and beyond), flag
// bits, lengths and contents; now and then a nest of well-formed random
// attributes, up to three levels deep, with or without NLA_F_NESTED.
void random_attrs(Rng &rng, std::vector<char> &m, int depth)
{
    unsigned char payload[600];
    const int nattrs = static_cast<int>(pick(rng, 5));
    for (int a = 0; a < nattrs; a++) {
        uint16_t type = static_cast<uint16_t>(pick(rng, 4) ? pick(rng, 20) : rng());
        if (depth < 3 && !pick(rng, 6)) {
            std::vector<char> nest;
            random_attrs(rng, nest, depth + 1);
            if (pick(rng, 4))
                type |= NLA_F_NESTED;
            attr(m, type, nest.data(), nest.size());
            continue;
        }
        if (!pick(rng, 8))
            type |= NLA_F_NESTED;  // a "nest" of garbage
        if (!pick(rng, 16))
            type |= NLA_F_NET_BYTEORDER;
        // Inside a nest short ones only: the message stays a few KB.
        const size_t len = pick(rng, 3) ? pick(rng, 12) : pick(rng, depth ? 64 : sizeof(payload));
        fill(rng, payload, len);
        if (len && pick(rng, 2))
            payload[len - 1] = 0;  // a string, sometimes
        attr(m, type, payload, len);
    }
}

void finish(std::vector<char> &m)
{
    reinterpret_cast<nlmsghdr *>(m.data())->nlmsg_len = static_cast<uint32_t>(m.size());
}

}  // namespace genl_msg

int fuzz_netlink(Rng &rng, uint64_t count)
{
    // The test suite's hand-written client: its socket and the family id.
    kcall_test::RawGenl genl;
    const uint16_t family = genl.family();
    if (!family) {
        std::fprintf(stderr, "kcall_fuzz: family %s not found\n", KCALL_GENL_NAME);
        return 1;
    }
    std::map<int, uint64_t> errnos;
    uint64_t replies = 0;
    for (uint64_t i = 0; i < count; i++) {
        uint16_t flags = NLM_F_REQUEST;
        if (!pick(rng, 8))
            flags |= static_cast<uint16_t>(rng());
        if (!pick(rng, 4))
            flags |= NLM_F_ACK;
        const uint8_t cmd =
            pick(rng, 8) ? static_cast<uint8_t>(pick(rng, 12)) : static_cast<uint8_t>(rng());
        const uint8_t version = pick(rng, 4) ? KCALL_GENL_VERSION : static_cast<uint8_t>(rng());
        const uint16_t reserved = pick(rng, 16) ? 0 : static_cast<uint16_t>(rng());
        std::vector<char> m = genl_msg::header(family, flags, cmd, version, reserved);
        genl_msg::random_attrs(rng, m, 0);
        genl_msg::finish(m);
        if (!pick(rng, 32) && m.size() > NLMSG_HDRLEN) {
            // Lie about the length: too short or too long for the data.
            auto *nlh = reinterpret_cast<nlmsghdr *>(m.data());
            nlh->nlmsg_len = static_cast<uint32_t>(pick(rng, m.size() + 64));
        }
        if (send(genl.fd(), m.data(), m.size(), 0) < 0) {
            errnos[errno]++;
            continue;
        }
        // Drain what came back: a reply and/or an error/ACK, or nothing
        // for a message the kernel dropped as malformed.
        char buf[16384];
        for (;;) {
            const ssize_t n = recv(genl.fd(), buf, sizeof(buf), MSG_DONTWAIT);
            if (n <= 0)
                break;
            const auto *nlh = reinterpret_cast<const nlmsghdr *>(buf);
            if (nlh->nlmsg_type == NLMSG_ERROR)
                errnos[-reinterpret_cast<const nlmsgerr *>(NLMSG_DATA(nlh))->error]++;
            else
                replies++;
        }
    }
    std::printf("kcall_fuzz: netlink: %llu messages, %llu replies:",
                static_cast<unsigned long long>(count), static_cast<unsigned long long>(replies));
    for (const auto &[e, n] : errnos)
        std::printf(" %s=%llu", e ? strerrorname_np(e) : "ack", static_cast<unsigned long long>(n));
    std::printf("\n");
    return 0;
}

// After the storm, the module still answers exactly as the spec says.
int still_sane()
{
    const int fd = open("/dev/" KCALL_DEVICE_NAME, O_RDWR | O_CLOEXEC);
    struct kcall_retparam r {};
    r.size = sizeof(r);
    r.value = 1000;
    if (fd < 0 || ioctl(fd, KCALL_IOC_RETPARAM, &r) != 0 || r.result != 1000) {
        std::fprintf(stderr, "kcall_fuzz: module no longer answers retparam(1000)\n");
        return 1;
    }
    close(fd);
    return 0;
}

}  // namespace

int main(int argc, char **argv)
{
    uint64_t seed = 1, count = 10000;
    std::string transport = "both";
    for (int i = 1; i < argc; i += 2) {
        // An option without its value matches nothing: usage.
        const std::string opt = i + 1 < argc ? argv[i] : "";
        if (opt == "--seed")
            seed = std::strtoull(argv[i + 1], nullptr, 0);
        else if (opt == "--count")
            count = std::strtoull(argv[i + 1], nullptr, 0);
        else if (opt == "--transport")
            transport = argv[i + 1];
        else {
            std::fprintf(stderr,
                         "usage: kcall_fuzz [--seed S] [--count N] "
                         "[--transport ioctl|netlink|both]\n");
            return 2;
        }
    }
    std::printf("kcall_fuzz: seed %llu, %llu per transport\n",
                static_cast<unsigned long long>(seed), static_cast<unsigned long long>(count));
    Rng rng(seed);
    int rc = 0;
    uint64_t total = 0;
    if (transport != "netlink") {
        rc |= fuzz_ioctl(rng, count);
        total += count;
    }
    if (transport != "ioctl") {
        rc |= fuzz_netlink(rng, count);
        total += count;
    }
    rc |= still_sane();
    std::printf("kcall_fuzz: %llu requests in all (seed %llu), %s\n",
                static_cast<unsigned long long>(total), static_cast<unsigned long long>(seed),
                rc ? "FAILED" : "module sane");
    return rc;
}
