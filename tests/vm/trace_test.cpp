// SPDX-License-Identifier: GPL-2.0-only
// The module's tracepoints: events/kcall/ has one event per operation, and
// each call leaves one line with the operation, caller pid, argument and
// result. Uses a tracing instance of its own, so the global buffer and
// other users of tracing are left alone.
#include <gtest/gtest.h>

#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "genl_client.h"
#include "kcall_dev.h"

namespace kcall_test {
namespace {

const std::string kTracing = "/sys/kernel/tracing";
const std::string kInstance = kTracing + "/instances/kcall_test";

bool write_file(const std::string &path, const std::string &text)
{
    std::ofstream out(path);
    out << text;
    out.flush();
    return out.good();
}

std::string read_file(const std::string &path)
{
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

class Tracepoints : public testing::Test {
protected:
    void SetUp() override
    {
        struct stat st {};
        if (stat((kTracing + "/events").c_str(), &st) != 0) {
            ASSERT_EQ(mount("tracefs", kTracing.c_str(), "tracefs", 0, nullptr), 0)
                << "mount tracefs: " << std::strerror(errno);
        }
        rmdir(kInstance.c_str());
        ASSERT_EQ(mkdir(kInstance.c_str(), 0755), 0) << std::strerror(errno);
    }
    void TearDown() override
    {
        write_file(kInstance + "/events/kcall/enable", "0");
        rmdir(kInstance.c_str());
    }
};

TEST_F(Tracepoints, OneEventPerOperation)
{
    for (const char *op : {"goodbye", "showparams", "retparam", "retpid", "taskcount", "message",
                           "stats", "stats_reset", "version"}) {
        struct stat st {};
        const std::string dir = kTracing + "/events/kcall/kcall_" + op;
        EXPECT_EQ(stat(dir.c_str(), &st), 0) << dir;
        const std::string format = read_file(dir + "/format");
        for (const char *field :
             {"field:unsigned int op", "field:pid_t pid", "field:s64 arg", "field:s64 result"})
            EXPECT_NE(format.find(field), std::string::npos) << op << " lacks " << field;
    }
}

TEST_F(Tracepoints, CallsFromBothTransportsAreTraced)
{
    ASSERT_TRUE(write_file(kInstance + "/events/kcall/enable", "1"));
    Device dev;
    ASSERT_TRUE(dev.ok());
    auto r = zeroed<struct kcall_retparam>();
    r.value = 77;
    ASSERT_EQ(dev.call(KCALL_IOC_RETPARAM, &r), 0);
    GenlClient genl;
    ASSERT_TRUE(genl.ok());
    ASSERT_EQ(
        genl.request(KCALL_CMD_RETPARAM, [](nl_msg *m) { nla_put_s32(m, KCALL_A_VALUE, 2000); })
            .err,
        EINVAL);
    ASSERT_TRUE(write_file(kInstance + "/events/kcall/enable", "0"));

    const std::string trace = read_file(kInstance + "/trace");
    const std::string pid = std::to_string(getpid());
    EXPECT_NE(trace.find("kcall_retparam: op=retparam pid=" + pid + " arg=77 result=77"),
              std::string::npos)
        << trace;
    EXPECT_NE(trace.find("kcall_retparam: op=retparam pid=" + pid + " arg=2000 result=-22"),
              std::string::npos)
        << trace;
}

TEST_F(Tracepoints, DisabledEventsRecordNothing)
{
    Device dev;
    ASSERT_TRUE(dev.ok());
    auto g = zeroed<struct kcall_goodbye>();
    ASSERT_EQ(dev.call(KCALL_IOC_GOODBYE, &g), 0);
    EXPECT_EQ(read_file(kInstance + "/trace").find("kcall_"), std::string::npos);
}

}  // namespace
}  // namespace kcall_test
