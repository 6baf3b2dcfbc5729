// SPDX-License-Identifier: GPL-2.0-only
// The ABI 2 operations at the byte level, on the raw uapi: message's user
// string, stats' user array, version's growable struct (docs/SPEC.md
// "Compatibility"), and their netlink attributes.
#include <gtest/gtest.h>

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "genl_client.h"
#include "kcall_dev.h"
#include "operations.h"

namespace kcall_test {
namespace {

constexpr unsigned char kPoison = 0xa5;

class Abi2Ioctl : public testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(dev_.ok()); }
    Device dev_;
};

// The layout a client built before "features" existed: 16 bytes.
struct VersionV0 {
    __u32 size;
    __u32 flags;
    __u32 abi_version;
    __u32 reserved;
};

TEST_F(Abi2Ioctl, VersionOldShorterLayoutStillWorks)
{
    unsigned char buf[sizeof(struct kcall_version)];
    std::memset(buf, kPoison, sizeof(buf));
    VersionV0 v0{sizeof(VersionV0), 0, 0, 0};
    std::memcpy(buf, &v0, sizeof(v0));
    ASSERT_EQ(dev_.ioctl(KCALL_IOC_VERSION, buf), 0);
    std::memcpy(&v0, buf, sizeof(v0));
    EXPECT_EQ(v0.abi_version, static_cast<__u32>(KCALL_ABI_VERSION));
    EXPECT_EQ(v0.reserved, 0U);
    // Nothing past the caller's size is written.
    for (size_t i = sizeof(VersionV0); i < sizeof(buf); i++)
        EXPECT_EQ(buf[i], kPoison) << "byte " << i;
}

TEST_F(Abi2Ioctl, VersionTooShortForAbiVersionIsRefused)
{
    struct kcall_version v {};
    v.size = offsetof(struct kcall_version, abi_version);
    EXPECT_EQ(dev_.ioctl(KCALL_IOC_VERSION, &v), EINVAL);
}

TEST_F(Abi2Ioctl, VersionNewerLayoutWithUnknownNonZeroTailIsE2big)
{
    unsigned char buf[sizeof(struct kcall_version) + 8] = {};
    struct kcall_version v {};
    v.size = sizeof(buf);
    std::memcpy(buf, &v, sizeof(v));
    ASSERT_EQ(dev_.ioctl(KCALL_IOC_VERSION, buf), 0) << "zero tail must be accepted";
    buf[sizeof(struct kcall_version) + 3] = 1;
    EXPECT_EQ(dev_.ioctl(KCALL_IOC_VERSION, buf), E2BIG);
}

TEST_F(Abi2Ioctl, VersionFlagsAreReserved)
{
    auto v = zeroed<struct kcall_version>();
    v.flags = 1;
    EXPECT_EQ(dev_.call(KCALL_IOC_VERSION, &v), EINVAL);
}

TEST_F(Abi2Ioctl, MessageBadPointersAreEfault)
{
    auto m = zeroed<struct kcall_message>();
    m.text = 0;
    EXPECT_EQ(dev_.call(KCALL_IOC_MESSAGE, &m), EFAULT);
    m.text = 0xffffffff81000000ULL;  // kernel text
    EXPECT_EQ(dev_.call(KCALL_IOC_MESSAGE, &m), EFAULT);
}

// Two pages, the second unmapped: strings that end at the boundary.
class PageEdge {
public:
    PageEdge()
        : page_(static_cast<size_t>(sysconf(_SC_PAGESIZE))),
          mem_(mmap(nullptr, 2 * page_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
    {
        if (mem_ != MAP_FAILED)
            munmap(static_cast<char *>(mem_) + page_, page_);
    }
    ~PageEdge()
    {
        if (mem_ != MAP_FAILED)
            munmap(mem_, page_);
    }
    PageEdge(const PageEdge &) = delete;
    PageEdge &operator=(const PageEdge &) = delete;
    bool ok() const { return mem_ != MAP_FAILED; }
    // n bytes that end exactly at the unmapped page.
    char *last(size_t n) const { return static_cast<char *>(mem_) + page_ - n; }

private:
    size_t page_;
    void *mem_;
};

TEST_F(Abi2Ioctl, MessageRunningIntoAnUnmappedPageIsEfault)
{
    PageEdge edge;
    ASSERT_TRUE(edge.ok());
    char *s = edge.last(10);
    std::memset(s, 'a', 10);  // no NUL before the hole
    auto m = zeroed<struct kcall_message>();
    m.text = reinterpret_cast<uintptr_t>(s);
    EXPECT_EQ(dev_.call(KCALL_IOC_MESSAGE, &m), EFAULT);
}

TEST_F(Abi2Ioctl, MessageLengthLimitAtThePageEdge)
{
    PageEdge edge;
    ASSERT_TRUE(edge.ok());
    auto m = zeroed<struct kcall_message>();
    // 255 bytes and the NUL as the last mapped byte: accepted.
    char *s = edge.last(KCALL_MESSAGE_MAX + 1);
    std::memset(s, 'b', KCALL_MESSAGE_MAX);
    s[KCALL_MESSAGE_MAX] = '\0';
    m.text = reinterpret_cast<uintptr_t>(s);
    EXPECT_EQ(dev_.call(KCALL_IOC_MESSAGE, &m), 0);
    // 256 bytes and the NUL: too long, refused before the hole matters.
    s = edge.last(KCALL_MESSAGE_MAX + 2);
    std::memset(s, 'b', KCALL_MESSAGE_MAX + 1);
    s[KCALL_MESSAGE_MAX + 1] = '\0';
    m.text = reinterpret_cast<uintptr_t>(s);
    EXPECT_EQ(dev_.call(KCALL_IOC_MESSAGE, &m), EINVAL);
}

TEST_F(Abi2Ioctl, MessageFlagsAreReserved)
{
    auto m = zeroed<struct kcall_message>();
    m.text = reinterpret_cast<uintptr_t>("x");
    m.flags = 2;
    EXPECT_EQ(dev_.call(KCALL_IOC_MESSAGE, &m), EINVAL);
}

TEST_F(Abi2Ioctl, StatsFillsOnlyTheRoomGivenAndReportsHowManyExist)
{
    std::vector<struct kcall_op_stats> entries(5);
    std::memset(entries.data(), kPoison, entries.size() * sizeof(entries[0]));
    auto s = zeroed<struct kcall_stats>();
    s.entries = reinterpret_cast<uintptr_t>(entries.data());
    s.nr_entries = 3;
    ASSERT_EQ(dev_.call(KCALL_IOC_STATS, &s), 0);
    EXPECT_EQ(s.nr_entries, kOperationCount);
    for (uint32_t i = 0; i < 3; i++) {
        EXPECT_EQ(entries[i].op, kOperations[i].number);
        EXPECT_EQ(entries[i].__reserved, 0U);
        EXPECT_NE(entries[i].calls, 0xa5a5a5a5a5a5a5a5ULL);
    }
    const auto *raw = reinterpret_cast<const unsigned char *>(&entries[3]);
    for (size_t i = 0; i < 2 * sizeof(entries[0]); i++)
        ASSERT_EQ(raw[i], kPoison) << "byte " << i << " past the room given";

    // No room at all: only the count.
    s = zeroed<struct kcall_stats>();
    ASSERT_EQ(dev_.call(KCALL_IOC_STATS, &s), 0);
    EXPECT_EQ(s.nr_entries, kOperationCount);
}

TEST_F(Abi2Ioctl, StatsBadArrayAndReservedField)
{
    auto s = zeroed<struct kcall_stats>();
    s.entries = 8;  // unmapped
    s.nr_entries = 2;
    EXPECT_EQ(dev_.call(KCALL_IOC_STATS, &s), EFAULT);
    s = zeroed<struct kcall_stats>();
    s.__reserved = 1;
    EXPECT_EQ(dev_.call(KCALL_IOC_STATS, &s), EINVAL);
}

class Abi2Netlink : public testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(genl_.ok()) << genl_.error(); }
    GenlReply message_raw(const void *data, int len)
    {
        return genl_.request(KCALL_CMD_MESSAGE,
                             [&](nl_msg *msg) { nla_put(msg, KCALL_A_TEXT, len, data); });
    }
    GenlClient genl_;
};

TEST_F(Abi2Netlink, MessageBytesAfterTheNulAreRefused)
{
    const char text[] = "abc\0def";
    const GenlReply r = message_raw(text, sizeof(text));
    EXPECT_EQ(r.err, EINVAL);
    EXPECT_EQ(r.ext_msg, "text has bytes after its NUL");
    const char padded[] = "abc\0";  // two NULs
    EXPECT_EQ(message_raw(padded, sizeof(padded)).err, EINVAL);
}

// Found by the coverage-guided fuzzer: with the length in the policy
// (max-len) these answered ERANGE, the policy checker's errno; the
// contract is EINVAL for every malformed text, as over ioctl.
TEST_F(Abi2Netlink, LongTextsAreEinvalNotErange)
{
    std::string early(KCALL_MESSAGE_MAX + 45, 'q');
    early[3] = '\0';  // a NUL early, then more than message-max bytes
    GenlReply r = message_raw(early.data(), static_cast<int>(early.size()));
    EXPECT_EQ(r.err, EINVAL);
    EXPECT_EQ(r.ext_msg, "text has bytes after its NUL");
    const std::string longer(KCALL_MESSAGE_MAX + 45, 'z');  // with its NUL
    r = message_raw(longer.c_str(), static_cast<int>(longer.size() + 1));
    EXPECT_EQ(r.err, EINVAL);
    EXPECT_EQ(r.ext_msg, "text longer than 255 bytes");
}

TEST_F(Abi2Netlink, MessageWithoutNulOrTooLongIsRefused)
{
    EXPECT_EQ(message_raw("abc", 3).err, EINVAL);
    const std::string longer(KCALL_MESSAGE_MAX + 1, 'z');
    EXPECT_EQ(message_raw(longer.c_str(), static_cast<int>(longer.size() + 1)).err, EINVAL);
    const std::string max(KCALL_MESSAGE_MAX, 'z');
    EXPECT_EQ(message_raw(max.c_str(), static_cast<int>(max.size() + 1)).err, 0);
    EXPECT_EQ(message_raw("", 1).err, 0);
}

TEST_F(Abi2Netlink, MessageWithoutTextNamesTheAttribute)
{
    const GenlReply r = genl_.request(KCALL_CMD_MESSAGE);
    EXPECT_EQ(r.err, EINVAL);
    EXPECT_EQ(r.ext_msg, "missing attribute: text");
    EXPECT_EQ(r.miss_type, KCALL_A_TEXT);
}

TEST_F(Abi2Netlink, VersionAndStatsReplies)
{
    GenlReply r = genl_.request(KCALL_CMD_VERSION);
    ASSERT_EQ(r.err, 0);
    EXPECT_EQ(r.reply_cmd, KCALL_CMD_VERSION);
    EXPECT_EQ(attr_as<uint32_t>(r.attrs.at(KCALL_A_ABI_VERSION)),
              static_cast<uint32_t>(KCALL_ABI_VERSION));
    r = genl_.request(KCALL_CMD_STATS);
    ASSERT_EQ(r.err, 0);
    EXPECT_EQ(r.reply_cmd, KCALL_CMD_STATS);
    EXPECT_EQ(r.repeated.size(), kOperationCount);
}

TEST_F(Abi2Netlink, EventIsNotARequest)
{
    EXPECT_EQ(genl_.request(KCALL_CMD_EVENT).err, EOPNOTSUPP);
}

TEST_F(Abi2Netlink, NewCommandsTakeNoForeignAttributes)
{
    for (uint8_t cmd : {KCALL_CMD_STATS, KCALL_CMD_STATS_RESET, KCALL_CMD_VERSION}) {
        const GenlReply r =
            genl_.request(cmd, [](nl_msg *msg) { nla_put_s32(msg, KCALL_A_VALUE, 1); });
        EXPECT_EQ(r.err, EINVAL) << "cmd " << int{cmd};
    }
    const GenlReply r =
        genl_.request(KCALL_CMD_VERSION, [](nl_msg *msg) { nla_put_u32(msg, KCALL_A_FLAGS, 4); });
    EXPECT_EQ(r.err, EINVAL);
    EXPECT_EQ(r.ext_msg, "unknown flags");
}

}  // namespace
}  // namespace kcall_test
