/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kcall core: the operations, implemented once and shared by every
 * transport. A transport decodes its request, calls one of these in the
 * caller's context (current is the caller) and encodes the result.
 *
 * Every function returns 0 or a negative errno; results go through the
 * output pointer, never the return value, so that no valid result can be
 * mistaken for an error.
 */
#ifndef _KCALL_CORE_H
#define _KCALL_CORE_H

#include <linux/types.h>

int kcall_op_goodbye(u32 flags);
int kcall_op_showparams(u32 flags, s32 value);
int kcall_op_retparam(u32 flags, s32 value, s32 *result);
int kcall_op_retpid(u32 flags, s32 which, s32 *pid);
int kcall_op_taskcount(u32 flags, u64 *count);

#endif /* _KCALL_CORE_H */
