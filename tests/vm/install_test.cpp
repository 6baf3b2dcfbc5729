// SPDX-License-Identifier: GPL-2.0-only
// Installation as users do it: the DKMS-installed module loads with
// modprobe, and without any insmod the first use of either transport loads
// it (MODULE_ALIAS_GENL_FAMILY; MODULE_ALIAS_MISCDEV + devname). Runs as its
// own binary before the module under test is loaded (run-suite.sh).
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <kcall.h>

#include "command.h"
#include "genl_client.h"

namespace kcall_test {
namespace {

bool module_loaded()
{
    struct stat st {};
    return stat("/sys/module/kcall", &st) == 0;
}

CmdResult run(const std::string &cmd)
{
    return run_command(cmd);
}

class Installed : public testing::Test {
protected:
    void SetUp() override
    {
        if (module_loaded()) {
            ASSERT_EQ(run("rmmod kcall").status, 0);
        }
        ASSERT_FALSE(module_loaded()) << "tests start without the module";
    }
    void TearDown() override
    {
        if (module_loaded()) {
            EXPECT_EQ(run("rmmod kcall").status, 0);
        }
    }
};

TEST_F(Installed, ModprobeLoadsTheDkmsModule)
{
    const CmdResult path = run("modinfo -n kcall");
    ASSERT_EQ(path.status, 0) << path.output;
    EXPECT_NE(path.output.find("/updates/dkms/kcall.ko"), std::string::npos) << path.output;
    const CmdResult r = run("modprobe kcall");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_TRUE(module_loaded());
}

TEST_F(Installed, FirstNetlinkFamilyLookupLoadsTheModule)
{
    GenlClient client;  // resolves the family: the kernel requests the module
    ASSERT_TRUE(client.ok()) << client.error();
    EXPECT_TRUE(module_loaded());
    auto r =
        client.request(KCALL_CMD_RETPARAM, [](nl_msg *m) { nla_put_s32(m, KCALL_A_VALUE, 8); });
    ASSERT_EQ(r.err, 0) << r.ext_msg;
    EXPECT_EQ(attr_as<int32_t>(r.attrs[KCALL_A_RESULT]), 8);
}

TEST_F(Installed, FirstOpenOfTheDeviceNodeLoadsTheModule)
{
    // kmod derives the static node from the module's devname alias...
    // (kmod writes to /dev/stdout by path, which is not our pipe in the
    // guest: ask for a file.)
    const char *list = "/tmp/kcall-static-nodes";
    ASSERT_EQ(run(std::string("kmod static-nodes --format=devname --output=") + list).status, 0);
    CmdResult nodes = run(std::string("grep '^kcall ' ") + list);
    // "kcall kcall c10:243": module, node name, type and major:minor.
    std::istringstream fields(nodes.output);
    std::string module, node, devtype;
    fields >> module >> node >> devtype;
    EXPECT_EQ(module + " " + node + " " + devtype, "kcall kcall c10:243") << nodes.output;

    // ...and systemd-tmpfiles creates it at boot from our tmpfiles.d file
    // ("c! /dev/kcall 0666 root root - 10:243"); do the same here.
    std::ifstream conf(KCALL_SOURCE_DIR "/packaging/kcall-tmpfiles.conf");
    std::string line, type, path, mode, user, group, age, devnum;
    while (std::getline(conf, line))
        if (!line.empty() && line[0] == 'c')
            break;
    std::istringstream(line) >> type >> path >> mode >> user >> group >> age >> devnum;
    ASSERT_EQ(path, "/dev/" KCALL_DEVICE_NAME) << line;
    const unsigned major = std::stoul(devnum.substr(0, devnum.find(':')));
    const unsigned minor = std::stoul(devnum.substr(devnum.find(':') + 1));
    unlink(path.c_str());
    ASSERT_EQ(mknod(path.c_str(), S_IFCHR | std::stoul(mode, nullptr, 8), makedev(major, minor)),
              0);

    const CmdResult r = run(KCALL_BUILD_DIR "/tests/kcall-raw retparam 7");
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(r.output, "7\n");
    EXPECT_TRUE(module_loaded());
}

}  // namespace
}  // namespace kcall_test
