// SPDX-License-Identifier: GPL-2.0-only
// The kernel's own YNL client drives the family through uapi/kcall.yaml,
// and the spec agrees with the live family's policy dump.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include <kcall.h>

#include "command.h"

namespace kcall_test {
namespace {

const std::string kTools = KCALL_KERNEL_TOOLS_DIR;
const std::string kSpec = KCALL_SOURCE_DIR "/uapi/kcall.yaml";
// Debian's interpreter, which has python3-yaml and python3-jsonschema.
const std::string kPython = "/usr/bin/python3";

CmdResult run(const std::string &cmd)
{
    return run_command(cmd);
}

TEST(YnlCli, CallsEveryOperation)
{
    // One cli.py run for all operations: Python starts slowly under TCG.
    std::string cmd = kPython + " " + kTools + "/tools/net/ynl/pyynl/cli.py --spec " + kSpec +
                      " --schema " + kTools +
                      "/Documentation/netlink/genetlink-legacy.yaml --output-json";
    const char *calls[][2] = {
        {"goodbye", "{}"},
        {"showparams", R"({"value": -5})"},
        {"retparam", R"({"value": 7})"},
        {"retparam", R"({"value": 1024})"},
        {"retpid", R"({"which": 0})"},
        {"retpid", R"({"which": 1})"},
        {"taskcount", R"({"flags": 0})"},
        {"message", R"({"text": "from ynl"})"},
        {"version", "{}"},
        {"stats", "{}"},
    };
    for (const auto &c : calls)
        cmd += std::string(" --multi ") + c[0] + " '" + c[1] + "'";
    const CmdResult r = run(cmd);
    std::printf("%s\n%s", cmd.c_str(), r.output.c_str());
    ASSERT_EQ(r.status, 0) << r.output;
    // cli.py is our direct child: its parent is us.
    for (const std::string &want :
         {std::string(R"({"result": 7})"), std::string(R"({"result": 1024})"),
          R"({"pid": )" + std::to_string(getpid()) + "}", std::string(R"({"count": )"),
          R"("abi-version": )" + std::to_string(KCALL_ABI_VERSION),
          std::string(R"({"stats": [{"op": 1, "calls": )")})
        EXPECT_NE(r.output.find(want), std::string::npos) << want << " in " << r.output;
}

class YnlSpec : public testing::Test {
protected:
    // One run of the checker for the whole suite (see CallsEveryOperation).
    static void SetUpTestSuite()
    {
        check_ = new CmdResult(run(kPython + " " + KCALL_SOURCE_DIR "/tests/vm/ynl_spec_check.py " +
                                   kTools + " " + kSpec));
        std::printf("%s", check_->output.c_str());
    }
    static void TearDownTestSuite()
    {
        delete check_;
        check_ = nullptr;
    }
    static CmdResult *check_;
};

CmdResult *YnlSpec::check_ = nullptr;

TEST_F(YnlSpec, MatchesLiveFamilyPolicies)
{
    EXPECT_EQ(check_->status, 0) << check_->output;
    EXPECT_NE(check_->output.find("kcall: spec and kernel agree"), std::string::npos)
        << check_->output;
}

TEST_F(YnlSpec, ErrorsCarryTheKernelsReason)
{
    for (const std::string &want : std::vector<std::string>{
             "error-case retparam {'value': 1025}: errno 22 extack 'value above 1024'",
             "error-case retparam {'value': -1}: errno 22 extack 'value above 1024'",
             "error-case retpid {'which': 2}: errno 22 extack 'unknown retpid selector'",
             "error-case retparam {}: errno 22 extack 'missing attribute: value'",
             "error-case taskcount {'flags': 4}: errno 22 extack 'unknown flags'",
             "error-case message {'text': '" + std::string(300, 'x') + "'}: errno 22",
         })
        EXPECT_NE(check_->output.find(want), std::string::npos) << want << " in " << check_->output;
}

}  // namespace
}  // namespace kcall_test
