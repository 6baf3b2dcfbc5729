// SPDX-License-Identifier: GPL-2.0-only
// kcall::Result: std::expected's names and meaning, except that value() of
// an error and error() of a value abort (libkcall never throws).
#include <gtest/gtest.h>

#include <cerrno>
#include <string>

#include <kcall/kcall.hpp>

namespace kcall_test {
namespace {

using kcall::Error;
using kcall::Result;

Result<int> half(int v)
{
    if (v % 2)
        return Error{EINVAL, "odd"};
    return v / 2;
}

TEST(Result, ValueOrGivesTheValueOrTheFallback)
{
    EXPECT_EQ(Result<int>(4).value_or(9), 4);
    EXPECT_EQ(Result<int>(Error{EIO, {}}).value_or(9), 9);
    EXPECT_EQ(Result<std::string>(Error{EIO, {}}).value_or("none"), "none");
}

TEST(Result, AndThenChainsAndPassesErrorsThrough)
{
    auto r = Result<int>(8).and_then(half).and_then(half);
    ASSERT_TRUE(r);
    EXPECT_EQ(*r, 2);
    auto odd = Result<int>(6).and_then(half).and_then(half);
    ASSERT_FALSE(odd);
    EXPECT_EQ(odd.error().message, "odd");
}

TEST(Result, TransformMapsTheValue)
{
    auto s = Result<int>(5).transform([](int v) { return std::to_string(v); });
    static_assert(std::is_same_v<decltype(s), Result<std::string>>);
    ASSERT_TRUE(s);
    EXPECT_EQ(*s, "5");
    auto e = Result<int>(Error{EPERM, {}}).transform([](int v) { return v + 1; });
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().code, EPERM);
    int seen = 0;
    Result<void> v = Result<int>(3).transform([&](int x) { seen = x; });
    EXPECT_TRUE(v);
    EXPECT_EQ(seen, 3);
}

TEST(Result, OrElseRecoversFromErrors)
{
    auto r = Result<int>(Error{ENOENT, {}}).or_else([](const Error &e) -> Result<int> {
        return e.code == ENOENT ? Result<int>(0) : Result<int>(e);
    });
    ASSERT_TRUE(r);
    EXPECT_EQ(*r, 0);
    EXPECT_EQ(*Result<int>(7).or_else([](const Error &) -> Result<int> { return 0; }), 7);
}

TEST(Result, VoidResult)
{
    Result<void> ok;
    EXPECT_TRUE(ok.has_value());
    ok.value();  // no-op on success
    Result<void> bad = Error{EBUSY, "busy"};
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, EBUSY);
    auto n = ok.transform([] { return 1; });
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 1);
    EXPECT_FALSE(bad.and_then([] { return Result<int>(1); }));
    EXPECT_TRUE(bad.or_else([](const Error &) { return Result<void>(); }));
}

// Where std::expected would throw bad_expected_access.
TEST(ResultDeathTest, ValueOfAnErrorAbortsWithTheError)
{
    EXPECT_DEATH((void)Result<int>(Error{ENOENT, "no module"}).value(),
                 "libkcall: value\\(\\) of a failed Result: No such file or directory: no module");
    EXPECT_DEATH(Result<void>(Error{EIO, {}}).value(), "value\\(\\) of a failed Result");
    EXPECT_DEATH((void)Result<int>(1).error(), "error\\(\\) of a Result that holds a value");
}

TEST(LibraryVersion, RuntimeMatchesTheHeaders)
{
    EXPECT_STREQ(kcall::library_version(), KCALL_VERSION_STRING);
    EXPECT_STREQ(kcall_lib_version_string(), KCALL_VERSION_STRING);
    EXPECT_EQ(kcall_lib_version_major(), static_cast<unsigned>(KCALL_VERSION_MAJOR));
    EXPECT_EQ(kcall_lib_version_minor(), static_cast<unsigned>(KCALL_VERSION_MINOR));
    EXPECT_TRUE(KCALL_VERSION_AT_LEAST(0, 3));
    EXPECT_FALSE(KCALL_VERSION_AT_LEAST(KCALL_VERSION_MAJOR, KCALL_VERSION_MINOR + 1));
}

}  // namespace
}  // namespace kcall_test
