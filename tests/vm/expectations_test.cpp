// SPDX-License-Identifier: GPL-2.0-only
// Runs docs/SPEC.md's table (expectations.cpp) against every transport.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <ostream>
#include <tuple>

#include "expectations.h"
#include "transport.h"

namespace kcall_test {

// Readable parameter names in gtest's failure messages.
void PrintTo(const NamedTransport &t, std::ostream *os)
{
    *os << t.name;
}

void PrintTo(const Expectation &e, std::ostream *os)
{
    *os << e.label;
}

namespace {

class SpecTable : public testing::TestWithParam<std::tuple<NamedTransport, Expectation>> {};

TEST_P(SpecTable, MatchesSpec)
{
    const auto &[transport_ref, row] = GetParam();
    auto transport = transport_ref.make();
    const Outcome out =
        row.op == Op::message ? transport->message(row.text) : transport->call(row.op, row.arg);

    EXPECT_EQ(out.err, row.err) << transport->name() << " " << op_name(row.op) << "(" << row.arg
                                << "): got errno " << out.err << " (" << std::strerror(out.err)
                                << "), want " << row.err << " (" << std::strerror(row.err) << ")"
                                << (out.message.empty() ? "" : ": " + out.message);
    if (row.why && out.err && transport->explains_errors()) {
        EXPECT_NE(out.message.find(row.why), std::string::npos)
            << transport->name() << " " << op_name(row.op) << "(" << row.arg << "): message \""
            << out.message << "\" lacks \"" << row.why << "\"";
    }
    if (row.err == 0 && out.err == 0) {
        std::string want;
        EXPECT_TRUE(row.check(out.value, &want))
            << transport->name() << " " << op_name(row.op) << "(" << row.arg << ") = " << out.value
            << ", want " << want;
    }
}

INSTANTIATE_TEST_SUITE_P(AllTransports, SpecTable,
                         testing::Combine(testing::ValuesIn(all_transports()),
                                          testing::ValuesIn(expectations())),
                         [](const testing::TestParamInfo<SpecTable::ParamType> &info) {
                             return std::string(std::get<0>(info.param).name) + "_" +
                                    std::get<1>(info.param).label;
                         });

}  // namespace
}  // namespace kcall_test
