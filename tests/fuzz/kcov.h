// SPDX-License-Identifier: GPL-2.0-only
// Kernel coverage for the fuzzer: a per-thread KCOV trace
// (Documentation/dev-tools/kcov.rst, KCOV_TRACE_PC) and the map from the
// PCs it records to kcall.ko's sections, which turns them into libFuzzer's
// feedback and into the sites a coverage report counts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <vector>

namespace kcall_fuzz {

// One thread's KCOV trace. Move-only; disabled and unmapped on destruction.
class KcovTrace {
public:
    KcovTrace();
    ~KcovTrace();
    KcovTrace(const KcovTrace &) = delete;
    KcovTrace &operator=(const KcovTrace &) = delete;

    // False when the kernel has no KCOV (debugfs not mounted, no
    // CONFIG_KCOV): the fuzzer then has no feedback and says so.
    bool ok() const { return area_ != nullptr; }
    // Starts collecting from zero for the calling thread.
    void start();
    // The PCs of kernel code run since start() by this thread.
    std::span<const uint64_t> stop();

private:
    int fd_ = -1;
    uint64_t *area_ = nullptr;
};

// A section of kcall.ko that holds call sites of __sanitizer_cov_trace_pc:
// its name, size (from the .ko) and load address (sysfs).
struct Section {
    std::string name;
    uint64_t size = 0;
    uint64_t base = 0;  // 0 while unknown (not loaded)
};

// Where kcall.ko is loaded, and what it has reached so far. Thread-safe.
class ModuleMap {
public:
    // ko: the module file under test; log: a file that every newly reached
    // site is appended to ("<section> <offset>", offset of the PC KCOV
    // records, the call's return address), so that a crash loses nothing.
    ModuleMap(std::string ko, std::string log);

    // Reads the sections' load addresses from /sys/module/kcall/sections;
    // false when the module is not loaded.
    bool refresh();
    // Feeds one trace: the PCs inside .text become counters (offset into
    // .text, one byte each, saturating) for libFuzzer; every PC inside any
    // section is recorded as reached. Returns how many PCs were kcall's.
    size_t feed(std::span<const uint64_t> pcs, uint8_t *counters, size_t ncounters);
    // Reached sites so far.
    size_t reached() const;
    const std::vector<Section> &sections() const { return sections_; }

private:
    std::string ko_;
    std::string log_;
    mutable std::mutex mu_;
    std::vector<Section> sections_;
    std::vector<std::vector<bool>> seen_;  // per section, per byte offset
    size_t reached_ = 0;
};

}  // namespace kcall_fuzz
