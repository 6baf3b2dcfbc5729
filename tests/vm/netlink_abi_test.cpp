// SPDX-License-Identifier: GPL-2.0-only
// The generic netlink family on the wire: replies, strict attribute
// checking and malformed requests. Every refusal carries an errno and an
// extended ACK; none may leave a kernel warning (the VM runner checks).
#include <gtest/gtest.h>

#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <kcall.h>

#include "command.h"
#include "genl_client.h"
#include "operations.h"

namespace kcall_test {
namespace {

class Netlink : public testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(client_.ok()) << client_.error(); }

    // Expects the request to be refused with err and an extended ACK.
    static void expect_refused(const GenlReply &r, int err, const char *what)
    {
        EXPECT_EQ(r.err, err) << what << ": " << r.ext_msg;
        EXPECT_TRUE(!r.ext_msg.empty() || r.ext_offset >= 0 || r.miss_type >= 0)
            << what << ": no extended ACK";
    }

    GenlClient client_;
};

TEST_F(Netlink, RepliesCarryTheResultInTheCommandsAttribute)
{
    auto r =
        client_.request(KCALL_CMD_RETPARAM, [](nl_msg *m) { nla_put_s32(m, KCALL_A_VALUE, 1024); });
    ASSERT_EQ(r.err, 0) << r.ext_msg;
    EXPECT_EQ(r.reply_cmd, KCALL_CMD_RETPARAM);
    ASSERT_EQ(r.attrs.size(), 1U);
    ASSERT_EQ(r.attrs.at(KCALL_A_RESULT).size(), 4U);
    EXPECT_EQ(attr_as<int32_t>(r.attrs.at(KCALL_A_RESULT)), 1024);

    r = client_.request(KCALL_CMD_RETPID,
                        [](nl_msg *m) { nla_put_s32(m, KCALL_A_WHICH, KCALL_RETPID_SELF); });
    ASSERT_EQ(r.err, 0) << r.ext_msg;
    EXPECT_EQ(attr_as<int32_t>(r.attrs.at(KCALL_A_PID)), getpid());

    r = client_.request(KCALL_CMD_TASKCOUNT);
    ASSERT_EQ(r.err, 0) << r.ext_msg;
    ASSERT_EQ(r.attrs.count(KCALL_A_COUNT), 1U);
    EXPECT_EQ(r.attrs.at(KCALL_A_COUNT).size(), 8U);
    EXPECT_GT(attr_as<uint64_t>(r.attrs.at(KCALL_A_COUNT)), 0U);

    for (uint8_t cmd : {KCALL_CMD_GOODBYE, KCALL_CMD_SHOWPARAMS}) {
        r = client_.request(cmd, [](nl_msg *m) { nla_put_s32(m, KCALL_A_VALUE, 3); });
        if (cmd == KCALL_CMD_GOODBYE) {
            // goodbye takes no value: strict policy refuses it...
            EXPECT_EQ(r.err, EINVAL);
            r = client_.request(cmd);
        }
        ASSERT_EQ(r.err, 0) << r.ext_msg;
        EXPECT_EQ(r.reply_cmd, cmd);
        EXPECT_TRUE(r.attrs.empty());
    }
}

TEST_F(Netlink, ZeroFlagsAreAcceptedOthersRefused)
{
    auto r =
        client_.request(KCALL_CMD_TASKCOUNT, [](nl_msg *m) { nla_put_u32(m, KCALL_A_FLAGS, 0); });
    EXPECT_EQ(r.err, 0) << r.ext_msg;
    for (uint8_t cmd : {KCALL_CMD_GOODBYE, KCALL_CMD_SHOWPARAMS, KCALL_CMD_RETPARAM,
                        KCALL_CMD_RETPID, KCALL_CMD_TASKCOUNT}) {
        r = client_.request(cmd, [](nl_msg *m) {
            nla_put_u32(m, KCALL_A_FLAGS, 1);
            nla_put_s32(m, KCALL_A_VALUE, 0);
        });
        if (cmd == KCALL_CMD_RETPID)
            r = client_.request(cmd, [](nl_msg *m) {
                nla_put_u32(m, KCALL_A_FLAGS, 1);
                nla_put_s32(m, KCALL_A_WHICH, 0);
            });
        if (cmd == KCALL_CMD_GOODBYE || cmd == KCALL_CMD_TASKCOUNT)
            r = client_.request(cmd, [](nl_msg *m) { nla_put_u32(m, KCALL_A_FLAGS, 1); });
        expect_refused(r, EINVAL, "flags=1");
        EXPECT_EQ(r.ext_msg, "unknown flags") << int(cmd);
        EXPECT_GE(r.ext_offset, 0) << "points at the flags attribute";
    }
}

TEST_F(Netlink, MissingAttributeIsEinvalAndNamed)
{
    auto r = client_.request(KCALL_CMD_RETPARAM);
    expect_refused(r, EINVAL, "retparam without value");
    EXPECT_NE(r.ext_msg.find("value"), std::string::npos) << r.ext_msg;
    EXPECT_EQ(r.miss_type, KCALL_A_VALUE);

    r = client_.request(KCALL_CMD_SHOWPARAMS);
    expect_refused(r, EINVAL, "showparams without value");
    EXPECT_EQ(r.miss_type, KCALL_A_VALUE);

    r = client_.request(KCALL_CMD_RETPID);
    expect_refused(r, EINVAL, "retpid without which");
    EXPECT_NE(r.ext_msg.find("which"), std::string::npos) << r.ext_msg;
    EXPECT_EQ(r.miss_type, KCALL_A_WHICH);
}

TEST_F(Netlink, WrongLengthIsEinval)
{
    // An s32 attribute carried as 8, 2 and 0 bytes.
    auto r =
        client_.request(KCALL_CMD_RETPARAM, [](nl_msg *m) { nla_put_u64(m, KCALL_A_VALUE, 7); });
    expect_refused(r, EINVAL, "8-byte value");
    r = client_.request(KCALL_CMD_RETPARAM, [](nl_msg *m) { nla_put_u16(m, KCALL_A_VALUE, 7); });
    expect_refused(r, EINVAL, "2-byte value");
    r = client_.request(KCALL_CMD_RETPID, [](nl_msg *m) { nla_put(m, KCALL_A_WHICH, 0, nullptr); });
    expect_refused(r, EINVAL, "empty which");
    r = client_.request(KCALL_CMD_TASKCOUNT, [](nl_msg *m) { nla_put_u8(m, KCALL_A_FLAGS, 0); });
    expect_refused(r, EINVAL, "1-byte flags");
}

TEST_F(Netlink, AttributesACommandDoesNotTakeAreRefused)
{
    // retparam takes value, not which; reply-only and unknown types too.
    for (int type : {int{KCALL_A_WHICH}, int{KCALL_A_RESULT}, int{KCALL_A_COUNT}, int{KCALL_A_PAD},
                     int{KCALL_A_MAX + 1}, 200}) {
        auto r = client_.request(KCALL_CMD_RETPARAM, [type](nl_msg *m) {
            nla_put_s32(m, KCALL_A_VALUE, 1);
            nla_put_s32(m, type, 1);
        });
        expect_refused(r, EINVAL, ("attribute " + std::to_string(type)).c_str());
    }
    // A nested attribute where a scalar belongs.
    auto r = client_.request(KCALL_CMD_RETPARAM, [](nl_msg *m) {
        nlattr *nest = nla_nest_start(m, KCALL_A_VALUE);
        nla_put_s32(m, KCALL_A_VALUE, 1);
        nla_nest_end(m, nest);
    });
    expect_refused(r, EINVAL, "nested value");
}

TEST_F(Netlink, UnknownCommandIsEopnotsupp)
{
    for (uint8_t cmd : {uint8_t{KCALL_CMD_UNSPEC}, uint8_t{KCALL_CMD_MAX + 1}, uint8_t{255}}) {
        auto r = client_.request(cmd);
        EXPECT_EQ(r.err, EOPNOTSUPP) << "cmd " << int(cmd) << ": " << r.ext_msg;
    }
}

TEST_F(Netlink, NonZeroReservedHeaderByteIsEinval)
{
    auto r = client_.request(KCALL_CMD_TASKCOUNT, [](nl_msg *m) {
        static_cast<genlmsghdr *>(nlmsg_data(nlmsg_hdr(m)))->reserved = 1;
    });
    expect_refused(r, EINVAL, "reserved=1");
}

TEST_F(Netlink, OversizedAttributeIsEinval)
{
    // 32 KiB where 4 bytes belong, and a message of many attributes.
    std::vector<char> big(size_t{32} * 1024, 'x');
    auto r = client_.request(KCALL_CMD_RETPARAM, [&big](nl_msg *m) {
        nla_put(m, KCALL_A_VALUE, static_cast<int>(big.size()), big.data());
    });
    expect_refused(r, EINVAL, "32 KiB value");
    r = client_.request(KCALL_CMD_RETPARAM, [](nl_msg *m) {
        for (int i = 0; i < 4000; i++)
            nla_put_s32(m, KCALL_A_VALUE, i);
    });
    // Strict validation allows a repeated attribute (the last wins)
    // but the values must be in range: 3999 > 1024.
    EXPECT_EQ(r.err, EINVAL) << r.ext_msg;
}

TEST_F(Netlink, WorksFromAnotherNetworkNamespace)
{
    int report[2];
    ASSERT_EQ(pipe(report), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        int32_t got[2] = {-1, -1};
        if (unshare(CLONE_NEWNET) == 0) {
            GenlClient c;
            if (c.ok()) {
                auto r = c.request(KCALL_CMD_RETPID, [](nl_msg *m) {
                    nla_put_s32(m, KCALL_A_WHICH, KCALL_RETPID_SELF);
                });
                got[0] = r.err ? -r.err : attr_as<int32_t>(r.attrs[KCALL_A_PID]);
                got[1] = getpid();
            }
        }
        (void)!write(report[1], got, sizeof(got));
        _exit(0);
    }
    close(report[1]);
    int32_t got[2] = {0, 0};
    ASSERT_EQ(read(report[0], got, sizeof(got)), static_cast<ssize_t>(sizeof(got)));
    close(report[0]);
    waitpid(child, nullptr, 0);
    EXPECT_EQ(got[0], got[1]) << "retpid over netlink from a new network namespace";
    EXPECT_GT(got[0], 0);
}

// iproute2's view of the family: name, version, the commands (every one
// but KCALL_CMD_EVENT, which only the kernel sends) and the events group.
TEST(NetlinkFamily, GenlCtrlShowsFamilyAndOperations)
{
    const CmdResult r = run_command("genl ctrl get name " KCALL_GENL_NAME);
    const std::string &out = r.output;
    ASSERT_EQ(r.status, 0) << out;
    std::printf("%s", out.c_str());
    EXPECT_NE(out.find("Name: kcall"), std::string::npos) << out;
    EXPECT_NE(out.find("Version: 0x" + std::to_string(KCALL_GENL_VERSION)), std::string::npos)
        << out;
    // "#<position>:  ID-0x<command>", one per operation, in order.
    const auto hex = [](uint32_t v) {
        char buf[16];
        std::snprintf(buf, sizeof(buf), "%x", v);
        return std::string(buf);
    };
    for (std::size_t i = 0; i < kOperationCount; i++)
        EXPECT_NE(
            out.find("#" + std::to_string(i + 1) + ":  ID-0x" + hex(kOperations[i].number) + " "),
            std::string::npos)
            << kOperations[i].name << "\n"
            << out;
    // After the operations, the batch command, and nothing else.
    EXPECT_NE(out.find("#" + std::to_string(kOperationCount + 1) + ":  ID-0x" +
                       hex(KCALL_CMD_BATCH) + " "),
              std::string::npos)
        << "batch\n"
        << out;
    EXPECT_EQ(out.find("#" + std::to_string(kOperationCount + 2) + ":"), std::string::npos)
        << "a command no operation names\n"
        << out;
    EXPECT_EQ(out.find("ID-0x" + hex(KCALL_CMD_EVENT) + " "), std::string::npos)
        << "the event is not a request\n"
        << out;
    EXPECT_NE(out.find("name: " KCALL_MCGRP_EVENTS), std::string::npos) << out;
}

}  // namespace
}  // namespace kcall_test
