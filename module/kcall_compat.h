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

#ifdef KCALL_HAVE_IO_URING_CMD_H
#include <linux/io_uring/cmd.h>
#else
#include <linux/io_uring.h>
#endif

/*
 * struct genl_family's bind callback: genetlink tells a family that a
 * socket joined one of its multicast groups (6.12 and 7.x have it; 6.1
 * does not, and there nothing tells a family of joins). Its return value
 * is ignored by genetlink, so it can only observe, never refuse, a join.
 * KCALL_GENL_TELLS_JOINS says which (the events_join_hook parameter).
 */
#ifdef KCALL_HAVE_GENL_BIND
#define KCALL_GENL_TELLS_JOINS true
static inline void kcall_genl_set_bind(struct genl_family *family,
				       int (*bind)(int mcgrp))
{
	family->bind = bind;
}
#else
#define KCALL_GENL_TELLS_JOINS false
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

/*
 * The command bytes of an io_uring command's SQE (sqe->cmd), as @type:
 * 6.1 hands them over as ioucmd->cmd; 6.6 to 6.x as the SQE, with
 * io_uring_sqe_cmd(sqe) a function returning void *; 7.x makes that a
 * macro taking the type and checking its size (and adds
 * io_uring_sqe128_cmd(), by which it is told apart). The bytes may be the
 * ring's shared memory, which the submitter can change under us: read
 * each field once (READ_ONCE()).
 */
#if defined(io_uring_sqe128_cmd)
#define kcall_uring_cmd_bytes(ioucmd, type) \
	io_uring_sqe_cmd((ioucmd)->sqe, type)
#elif defined(KCALL_HAVE_IO_URING_CMD_H)
#define kcall_uring_cmd_bytes(ioucmd, type) \
	((const type *)io_uring_sqe_cmd((ioucmd)->sqe))
#else
#define kcall_uring_cmd_bytes(ioucmd, type) ((const type *)(ioucmd)->cmd)
#endif

/*
 * Completes an io_uring command with @res in its CQE. io_uring_cmd_done()
 * took a second result (res2) until 7.x, which dropped it for a ..32
 * variant for big CQEs; 6.1 took no issue_flags until the stable series
 * gained them. Kbuild reads which form the headers declare
 * (module/probe-io-uring-cmd-done.sh).
 */
static inline void kcall_uring_cmd_done(struct io_uring_cmd *ioucmd, int res,
					unsigned int issue_flags)
{
#if defined(KCALL_IO_URING_CMD_DONE_FLAGS)
	io_uring_cmd_done(ioucmd, res, issue_flags);
#elif defined(KCALL_IO_URING_CMD_DONE_RES2_FLAGS)
	io_uring_cmd_done(ioucmd, res, 0, issue_flags);
#elif defined(KCALL_IO_URING_CMD_DONE_RES2)
	io_uring_cmd_done(ioucmd, res, 0);
#else
/* module/probe-io-uring-cmd-done.sh found no declaration it knows. */
#error "no io_uring_cmd_done() in the kernel headers"
#endif
}

#endif /* _KCALL_COMPAT_H */
