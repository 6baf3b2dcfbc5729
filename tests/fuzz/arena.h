// SPDX-License-Identifier: GPL-2.0-only
// Memory the fuzzer points the kernel at: two writable pages followed by
// an unmapped one (so that a struct or a string can straddle the hole) and
// a read-only page. Allocated once per thread.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace kcall_fuzz {

// Where a pointer argument points.
enum class Where : uint8_t {
    valid,     // inside the writable pages, room to spare
    straddle,  // ends in the hole after the writable pages
    null,
    kernel,    // kernel text
    readonly,  // a read-only page: reads work, writes fault
    hole,      // the unmapped page itself
};
constexpr int kWhereCount = 6;

class Arena {
public:
    // One mapping, so that nothing else can ever land in the hole: two
    // writable pages, an inaccessible one (PROT_NONE faults as an unmapped
    // page does), a read-only one.
    Arena()
    {
        void *m =
            mmap(nullptr, 4 * page_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        rw_ = static_cast<unsigned char *>(m);
        mprotect(rw_ + 2 * page_, page_, PROT_NONE);
        ro_ = rw_ + 3 * page_;
        mprotect(ro_, page_, PROT_READ);
    }
    ~Arena() { munmap(rw_, 4 * page_); }
    Arena(const Arena &) = delete;
    Arena &operator=(const Arena &) = delete;

    size_t page() const { return page_; }
    // Writable bytes from p to the hole.
    size_t room(const unsigned char *p) const { return static_cast<size_t>(rw_ + 2 * page_ - p); }

    // A place for an object of len bytes (len <= page) of the given kind;
    // slot 0 and 1 give two valid places a page apart that do not overlap
    // (a struct and the string or array it points to). nullptr for the
    // kinds without memory of ours (null, kernel, hole).
    unsigned char *place(Where w, size_t len, int slot, uint64_t *addr)
    {
        unsigned char *p = nullptr;
        switch (w) {
            case Where::valid:
                p = rw_ + static_cast<size_t>(slot) * page_;
                break;
            case Where::straddle:
                // At least one byte mapped, at least one byte in the hole.
                p = rw_ + 2 * page_ - (len > 1 ? len - 1 - (len / 3) : 1);
                break;
            case Where::readonly:
                p = ro_;
                break;
            case Where::null:
                *addr = 0;
                return nullptr;
            case Where::kernel:
                *addr = 0xffffffff81000000ULL + 64 * static_cast<uint64_t>(slot);
                return nullptr;
            case Where::hole:
                *addr = reinterpret_cast<uintptr_t>(rw_ + 2 * page_);
                return nullptr;
        }
        *addr = reinterpret_cast<uintptr_t>(p);
        return p;
    }

    // Writes len bytes at p, which place() returned; the read-only page is
    // made writable for that and sealed again. Bytes past the hole are
    // dropped. Returns how many landed.
    size_t write(unsigned char *p, const void *data, size_t len)
    {
        if (p == ro_) {
            mprotect(ro_, page_, PROT_READ | PROT_WRITE);
            std::memcpy(ro_, data, len < page_ ? len : page_);
            mprotect(ro_, page_, PROT_READ);
            return len < page_ ? len : page_;
        }
        const size_t n = len < room(p) ? len : room(p);
        std::memcpy(p, data, n);
        return n;
    }

    bool writable(const unsigned char *p) const { return p && p >= rw_ && p < rw_ + 2 * page_; }

private:
    size_t page_ = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    unsigned char *rw_ = nullptr;
    unsigned char *ro_ = nullptr;
};

}  // namespace kcall_fuzz
