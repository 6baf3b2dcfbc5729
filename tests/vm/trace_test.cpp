// SPDX-License-Identifier: GPL-2.0-only
// The module's tracepoint: events/kcall/ has one event, kcall_call, and
// each call leaves one line with the operation (by name, filterable),
// caller pid, argument and result. Uses a tracing instance of its own, so the global buffer and
// other users of tracing are left alone.
#include <gtest/gtest.h>

#include <dirent.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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

// One event for every operation: the operation is a string field.
TEST_F(Tracepoints, OneEventWithTheOperationByName)
{
    std::vector<std::string> events;
    if (DIR *d = opendir((kTracing + "/events/kcall").c_str())) {
        while (const dirent *e = readdir(d)) {
            const std::string name = e->d_name;
            if (e->d_type == DT_DIR && name != "." && name != "..")
                events.push_back(name);
        }
        closedir(d);
    }
    EXPECT_EQ(events, std::vector<std::string>{"kcall_call"});
    const std::string format = read_file(kTracing + "/events/kcall/kcall_call/format");
    for (const char *field :
         {"field:__data_loc char[] op", "field:pid_t pid", "field:s64 arg", "field:s64 result"})
        EXPECT_NE(format.find(field), std::string::npos) << "lacks " << field << "\n" << format;
}

// The filter names the operation: op == "retparam" keeps retparam's calls
// and nothing else.
TEST_F(Tracepoints, FilterByOperationName)
{
    const std::string event = kInstance + "/events/kcall/kcall_call";
    ASSERT_TRUE(write_file(event + "/filter", "op == \"retparam\""));
    ASSERT_TRUE(write_file(event + "/enable", "1"));
    Device dev;
    ASSERT_TRUE(dev.ok());
    auto g = zeroed<struct kcall_goodbye>();
    ASSERT_EQ(dev.call(KCALL_IOC_GOODBYE, &g), 0);
    auto r = zeroed<struct kcall_retparam>();
    r.value = 12;
    ASSERT_EQ(dev.call(KCALL_IOC_RETPARAM, &r), 0);
    ASSERT_TRUE(write_file(event + "/enable", "0"));
    const std::string trace = read_file(kInstance + "/trace");
    EXPECT_NE(
        trace.find("kcall_call: op=retparam pid=" + std::to_string(getpid()) + " arg=12 result=12"),
        std::string::npos)
        << trace;
    EXPECT_EQ(trace.find("op=goodbye"), std::string::npos) << trace;
    write_file(event + "/filter", "0");
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
    EXPECT_NE(trace.find("kcall_call: op=retparam pid=" + pid + " arg=77 result=77"),
              std::string::npos)
        << trace;
    EXPECT_NE(trace.find("kcall_call: op=retparam pid=" + pid + " arg=2000 result=-22"),
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
