// SPDX-License-Identifier: GPL-2.0-only
// Installation as users do it: the DKMS-installed module loads with
// modprobe, and without any insmod the first use of either transport loads
// it (MODULE_ALIAS_GENL_FAMILY; libkcall asks for the family when
// /dev/kcall is missing). No static node exists before the module loads,
// and the mode parameter alone decides the node's mode, whatever rules the
// project installs. Runs as its own binary before the module under test is
// loaded (test-guest.sh).
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
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

// What boot does before any module loads: kmod's static nodes (from
// modules' devname aliases) and the tmpfiles.d snippets. Neither may name
// /dev/kcall: such a node is made for a fixed minor, which another driver
// may hold first, and devtmpfs never replaces a node that exists.
TEST_F(Installed, BootCreatesNoStaticNode)
{
    // kmod writes to /dev/stdout by path, which is not our pipe in the
    // guest: ask for a file.
    const char *list = "/tmp/kcall-static-nodes";
    ASSERT_EQ(run(std::string("kmod static-nodes --format=tmpfiles --output=") + list).status, 0);
    const CmdResult nodes = run(std::string("cat ") + list);
    EXPECT_EQ(nodes.output.find("kcall"), std::string::npos) << nodes.output;
    // Apply it, and every tmpfiles.d snippet, as boot would.
    unlink("/dev/" KCALL_DEVICE_NAME);
    run(std::string("systemd-tmpfiles --create ") + list + " 2>&1");
    run("systemd-tmpfiles --create --prefix=/dev 2>&1");
    struct stat st {};
    EXPECT_NE(stat("/dev/" KCALL_DEVICE_NAME, &st), 0) << "a static /dev/kcall was created";
}

TEST_F(Installed, FirstIoctlCallThroughTheLibraryLoadsTheModule)
{
    unlink("/dev/" KCALL_DEVICE_NAME);
    const CmdResult r = run(KCALL_BUILD_DIR "/client/kcall -t ioctl retparam 7");
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(r.output, "7\n");
    EXPECT_TRUE(module_loaded());
}

// With what the project installs under /etc applied to the guest (its
// /etc is a writable overlay) and udevd running, the mode parameter still
// decides: 0600 is 0600, and nobody gets EACCES. An installed udev rule
// with a MODE (as 0.1 shipped) would make this 0666.
TEST_F(Installed, ModeParameterAloneDecidesTheNodesMode)
{
    const CmdResult ping = run("udevadm control --ping 2>&1");
    ASSERT_EQ(ping.status, 0) << "udevd must run for this test to mean anything: " << ping.output;
    const CmdResult cfg = run(KCALL_SOURCE_DIR "/scripts/install.sh --config-only 2>&1");
    ASSERT_EQ(cfg.status, 0) << cfg.output;
    ASSERT_EQ(run("udevadm control --reload 2>&1").status, 0);
    const CmdResult r = run("modprobe kcall mode=0600 && udevadm settle 2>&1");
    ASSERT_EQ(r.status, 0) << r.output;
    struct stat st {};
    for (int i = 0; i < 50 && stat("/dev/" KCALL_DEVICE_NAME, &st) != 0; i++)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_EQ(stat("/dev/" KCALL_DEVICE_NAME, &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0600U);
    EXPECT_EQ(st.st_uid, 0U);
    const CmdResult nobody =
        run("setpriv --reuid=65534 --regid=65534 --clear-groups " KCALL_BUILD_DIR
            "/client/kcall -t ioctl retparam 7 2>&1");
    EXPECT_NE(nobody.status, 0);
    EXPECT_NE(nobody.output.find("Permission denied"), std::string::npos) << nobody.output;
}

}  // namespace
}  // namespace kcall_test
