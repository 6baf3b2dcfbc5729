/* SPDX-License-Identifier: GPL-2.0 */
/* include/linux/io_uring/cmd.h of 6.12 (and io_uring.h of 6.1 stable). */
#if defined(CONFIG_IO_URING)
/*
 * Called by consumers of io_uring_cmd, if they originally returned
 * -EIOCBQUEUED upon receiving the command.
 */
void io_uring_cmd_done(struct io_uring_cmd *cmd, ssize_t ret, u64 res2,
			unsigned issue_flags);
#else
static inline void io_uring_cmd_done(struct io_uring_cmd *cmd, ssize_t ret,
		u64 ret2, unsigned issue_flags)
{
}
#endif
static inline void io_uring_cmd_done_in_task(struct io_uring_cmd *ioucmd,
		ssize_t ret, u64 res2)
{
	io_uring_cmd_done(ioucmd, ret, res2, 0);
}
