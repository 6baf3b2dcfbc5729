// SPDX-License-Identifier: GPL-2.0-only
// Reading the kernel log (/dev/kmsg) from the in-VM tests.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

namespace kcall_test {

// Reads the kernel log records that appear after construction.
class KmsgReader {
public:
    KmsgReader() : fd_(open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC))
    {
        if (fd_ >= 0)
            lseek(fd_, 0, SEEK_END);
    }
    ~KmsgReader()
    {
        if (fd_ >= 0)
            close(fd_);
    }
    KmsgReader(const KmsgReader &) = delete;
    KmsgReader &operator=(const KmsgReader &) = delete;

    bool ok() const { return fd_ >= 0; }

    // Messages (text after "prio,seq,ts,flags;") logged since the last call.
    std::vector<std::string> read_new()
    {
        std::vector<std::string> lines;
        char buf[8192];
        for (;;) {
            const ssize_t n = read(fd_, buf, sizeof(buf));
            if (n < 0 && errno == EPIPE)
                continue;  // overwritten records: keep reading
            if (n <= 0)
                break;
            std::string rec(buf, static_cast<size_t>(n));
            const auto semi = rec.find(';');
            const auto nl = rec.find('\n');
            if (semi != std::string::npos && nl != std::string::npos && semi < nl)
                lines.push_back(rec.substr(semi + 1, nl - semi - 1));
        }
        return lines;
    }

private:
    int fd_;
};

// The lines that contain needle.
inline std::vector<std::string> matching(const std::vector<std::string> &lines,
                                         const std::string &needle)
{
    std::vector<std::string> out;
    for (const auto &l : lines)
        if (l.find(needle) != std::string::npos)
            out.push_back(l);
    return out;
}

}  // namespace kcall_test
