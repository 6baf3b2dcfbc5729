// SPDX-License-Identifier: GPL-2.0-only
// The uapi header compiles as C++20 with -Wall -Wextra -Werror, and its
// structs are standard-layout types with the frozen ABI layout.
#include <gtest/gtest.h>

#include <cstddef>
#include <type_traits>

#include <kcall.h>

namespace {

template <typename T>
constexpr bool is_abi_struct =
    std::is_standard_layout_v<T> &&std::is_trivially_copyable_v<T> &&std::alignment_of_v<T> <= 8 &&
    sizeof(T) % 8 == 0;

static_assert(is_abi_struct<kcall_goodbye>);
static_assert(is_abi_struct<kcall_showparams>);
static_assert(is_abi_struct<kcall_retparam>);
static_assert(is_abi_struct<kcall_retpid>);
static_assert(is_abi_struct<kcall_taskcount>);
// size is the first member of every struct (the extensibility contract).
static_assert(offsetof(kcall_goodbye, size) == 0);
static_assert(offsetof(kcall_showparams, size) == 0);
static_assert(offsetof(kcall_retparam, size) == 0);
static_assert(offsetof(kcall_retpid, size) == 0);
static_assert(offsetof(kcall_taskcount, size) == 0);

TEST(Uapi, LayoutIsFrozen)
{
    EXPECT_EQ(sizeof(kcall_goodbye), 8U);
    EXPECT_EQ(sizeof(kcall_showparams), 16U);
    EXPECT_EQ(sizeof(kcall_retparam), 16U);
    EXPECT_EQ(offsetof(kcall_retparam, value), 8U);
    EXPECT_EQ(offsetof(kcall_retparam, result), 12U);
    EXPECT_EQ(sizeof(kcall_retpid), 16U);
    EXPECT_EQ(offsetof(kcall_retpid, which), 8U);
    EXPECT_EQ(sizeof(kcall_taskcount), 16U);
    EXPECT_EQ(offsetof(kcall_taskcount, count), 8U);
}

TEST(Uapi, IoctlNumbersShareOneTypeAndCarryNoSize)
{
    for (unsigned long cmd : {KCALL_IOC_GOODBYE, KCALL_IOC_SHOWPARAMS, KCALL_IOC_RETPARAM,
                              KCALL_IOC_RETPID, KCALL_IOC_TASKCOUNT}) {
        EXPECT_EQ(_IOC_TYPE(cmd), static_cast<unsigned>(KCALL_IOCTL_TYPE));
        EXPECT_EQ(_IOC_SIZE(cmd), 0U);
        EXPECT_EQ(_IOC_DIR(cmd), static_cast<unsigned>(_IOC_NONE));
        EXPECT_GE(_IOC_NR(cmd), static_cast<unsigned>(KCALL_IOC_NR_BASE));
    }
    EXPECT_EQ(_IOC_NR(KCALL_IOC_TASKCOUNT) - _IOC_NR(KCALL_IOC_GOODBYE), 4U);
}

}  // namespace
