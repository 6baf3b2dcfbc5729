/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kcall_compat.h - the kernel API differences kcall meets between the
 * kernels it supports (6.1, 6.12 and the newest stable series, 7.x): the
 * one place for them, so that the rest of the module reads as code for one
 * kernel. Features are probed in the headers the module is built against
 * (Kbuild), not guessed from version numbers, which distributions'
 * backports make unreliable.
 */
#ifndef _KCALL_COMPAT_H
#define _KCALL_COMPAT_H

#include <net/genetlink.h>

/*
 * struct genl_family's bind callback: genetlink tells a family that a
 * socket joined one of its multicast groups (6.12 and 7.x have it; 6.1
 * does not, and there nothing tells a family of joins). Its return value
 * is ignored by genetlink, so it can only observe, never refuse, a join.
 */
#ifdef KCALL_HAVE_GENL_BIND
static inline void kcall_genl_set_bind(struct genl_family *family,
				       int (*bind)(int mcgrp))
{
	family->bind = bind;
}
#else
static inline void kcall_genl_set_bind(struct genl_family *family,
				       int (*bind)(int mcgrp))
{
}
#endif

/*
 * A tracepoint's string field: __assign_str() took the source as a second
 * argument until 6.10 and takes it from __string() since (probed in
 * include/trace/stages/, see Kbuild).
 */
#ifdef KCALL_HAVE_ASSIGN_STR_1
#define kcall_assign_str(field, src)	\
	do {				\
		(void)(src);		\
		__assign_str(field);	\
	} while (0)
#else
#define kcall_assign_str(field, src) __assign_str(field, src)
#endif

#endif /* _KCALL_COMPAT_H */
