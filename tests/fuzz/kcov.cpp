// SPDX-License-Identifier: GPL-2.0-only
#include "kcov.h"

#include <elf.h>
#include <fcntl.h>
#include <linux/kcov.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

namespace kcall_fuzz {

namespace {

// PCs one call may record: kcall's handlers record a few hundred at most;
// the trace is per thread and reset before every call.
constexpr size_t kCoverWords = 1 << 16;

}  // namespace

KcovTrace::KcovTrace()
{
    fd_ = open("/sys/kernel/debug/kcov", O_RDWR | O_CLOEXEC);
    if (fd_ < 0)
        return;
    void *m = MAP_FAILED;
    if (ioctl(fd_, KCOV_INIT_TRACE, kCoverWords) == 0)
        m = mmap(nullptr, kCoverWords * sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd_,
                 0);
    if (m == MAP_FAILED || ioctl(fd_, KCOV_ENABLE, KCOV_TRACE_PC) != 0) {
        if (m != MAP_FAILED)
            munmap(m, kCoverWords * sizeof(uint64_t));
        close(fd_);
        fd_ = -1;
        return;
    }
    area_ = static_cast<uint64_t *>(m);
}

KcovTrace::~KcovTrace()
{
    if (area_) {
        ioctl(fd_, KCOV_DISABLE, 0);
        munmap(area_, kCoverWords * sizeof(uint64_t));
    }
    if (fd_ >= 0)
        close(fd_);
}

void KcovTrace::start()
{
    if (area_)
        __atomic_store_n(&area_[0], 0, __ATOMIC_RELAXED);
}

std::span<const uint64_t> KcovTrace::stop()
{
    if (!area_)
        return {};
    uint64_t n = __atomic_load_n(&area_[0], __ATOMIC_RELAXED);
    if (n > kCoverWords - 1)
        n = kCoverWords - 1;
    return {area_ + 1, static_cast<size_t>(n)};
}

ModuleMap::ModuleMap(std::string ko, std::string log) : ko_(std::move(ko)), log_(std::move(log))
{
    // The executable sections of the module file: every KCOV call site
    // lies in one of them (.text, .init.text, .exit.text...).
    std::ifstream f(ko_, std::ios::binary);
    const std::string img((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (img.size() < sizeof(Elf64_Ehdr))
        return;
    Elf64_Ehdr eh;
    std::memcpy(&eh, img.data(), sizeof(eh));
    if (eh.e_shoff + static_cast<uint64_t>(eh.e_shnum) * sizeof(Elf64_Shdr) > img.size() ||
        eh.e_shstrndx >= eh.e_shnum)
        return;
    std::vector<Elf64_Shdr> sh(eh.e_shnum);
    std::memcpy(sh.data(), img.data() + eh.e_shoff, sh.size() * sizeof(Elf64_Shdr));
    const char *names = img.data() + sh[eh.e_shstrndx].sh_offset;
    for (const auto &s : sh) {
        if ((s.sh_flags & SHF_EXECINSTR) && (s.sh_flags & SHF_ALLOC) && s.sh_size)
            sections_.push_back({names + s.sh_name, s.sh_size, 0});
    }
    for (const auto &s : sections_)
        seen_.emplace_back(s.size + 1, false);
}

bool ModuleMap::refresh()
{
    std::lock_guard lock(mu_);
    bool any = false;
    for (auto &s : sections_) {
        std::ifstream f("/sys/module/kcall/sections/" + s.name);
        std::string v;
        s.base = (f >> v) ? std::strtoull(v.c_str(), nullptr, 16) : 0;
        any = any || (s.name == ".text" && s.base != 0);
    }
    return any;
}

size_t ModuleMap::feed(std::span<const uint64_t> pcs, uint8_t *counters, size_t ncounters)
{
    std::lock_guard lock(mu_);
    size_t ours = 0;
    FILE *log = nullptr;
    for (uint64_t pc : pcs) {
        for (size_t i = 0; i < sections_.size(); i++) {
            const Section &s = sections_[i];
            // The recorded PC is a return address: it may equal the end.
            if (!s.base || pc < s.base || pc > s.base + s.size)
                continue;
            const uint64_t off = pc - s.base;
            ours++;
            if (s.name == ".text" && off < ncounters && counters[off] < 255)
                counters[off]++;
            if (!seen_[i][off]) {
                seen_[i][off] = true;
                reached_++;
                if (!log && !log_.empty())
                    log = std::fopen(log_.c_str(), "a");
                if (log)
                    std::fprintf(log, "%s %#llx\n", s.name.c_str(),
                                 static_cast<unsigned long long>(off));
            }
            break;
        }
    }
    if (log)
        std::fclose(log);
    return ours;
}

size_t ModuleMap::reached() const
{
    std::lock_guard lock(mu_);
    return reached_;
}

}  // namespace kcall_fuzz
