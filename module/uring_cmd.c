// SPDX-License-Identifier: GPL-2.0-only
/*
 * io_uring commands on /dev/kcall: IORING_OP_URING_CMD with cmd_op
 * KCALL_URING_CALL, one operation each, its result in the completion.
 * Only decoding and encoding live here; the operation is the core's, as
 * for an ioctl. The caller is the task io_uring runs the command in: the
 * submitter, an io-wq worker or the SQPOLL thread, all threads of the
 * submitting (or ring-creating) process, running with the credentials
 * io_uring chose (uapi/kcall.h has the rules).
 */
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/limits.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>

#include <kcall.h>

#include "kcall_chardev.h"
#include "kcall_compat.h"
#include "kcall_core.h"

/* Bytes of sqe->cmd in a 64-byte SQE: the struct must fit every ring. */
#define KCALL_SQE_CMD_BYTES 16

/*
 * Runs the command, a batch of one record: the same operations, run,
 * counted, traced and evented as a batch's. Its result (>= 0) or a
 * negative errno.
 */
static int kcall_uring_call(struct io_uring_cmd *ioucmd,
			    const struct kcall_uring_cmd *cmd)
{
	struct kcall_args args = {
		.transport = KCALL_EVENT_IOCTL,
		.net = current->nsproxy->net_ns,
		.file = ioucmd->file,
	};
	struct kcall_record rec = {
		.nr = cmd->op,
		.flags = cmd->flags,
		.arg = cmd->arg,
	};
	size_t ran;

	if (kcall_batch_run_records(&rec, 1, &args, false, &ran))
		return -EINTR;	/* a fatal signal: nothing ran */
	/* The completion's res is an int: a result must fit (it always does). */
	if (!rec.err && rec.result > INT_MAX) {
		rec.err = -EOVERFLOW;
		rec.result = 0;
	}
	kcall_batch_finish_records(&rec, 1, &args, 0);
	return rec.err ? rec.err : (int)rec.result;
}

int kcall_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags)
{
	const struct kcall_uring_cmd *sqe_cmd =
		kcall_uring_cmd_bytes(ioucmd, struct kcall_uring_cmd);
	struct kcall_uring_cmd cmd;
	int res;

	BUILD_BUG_ON(sizeof(cmd) > KCALL_SQE_CMD_BYTES);
	if (ioucmd->cmd_op != KCALL_URING_CALL) {
		res = -ENOTTY;
		goto done;
	}
	/* Each field read once: the SQE may be memory the submitter shares. */
	cmd.op = READ_ONCE(sqe_cmd->op);
	cmd.flags = READ_ONCE(sqe_cmd->flags);
	cmd.arg = READ_ONCE(sqe_cmd->arg);
	cmd.__reserved = READ_ONCE(sqe_cmd->__reserved);
	if (cmd.__reserved) {
		res = -EINVAL;
		goto done;
	}
	/*
	 * An op that may sleep (stats_reset takes a mutex) or run long (a
	 * taskcount walks every pid): when io_uring asks us not to block, it
	 * gets the command again in an io-wq worker, which may, so that one
	 * submission of many of them does not run them all in the
	 * submitter's io_uring_enter() (or in the SQPOLL thread) back to back.
	 */
	if (kcall_op_may_block(cmd.op) && (issue_flags & IO_URING_F_NONBLOCK))
		return -EAGAIN;
	res = kcall_uring_call(ioucmd, &cmd);
done:
	/*
	 * Completed here, not by returning @res: 6.1 hands a handler's
	 * positive return value back only on the inline path (and as a
	 * failure, which breaks links), and drops it in io-wq. Completing
	 * from the handler, then -EIOCBQUEUED, is what ublk does and works
	 * on every kernel, in every context (@issue_flags says which).
	 */
	kcall_uring_cmd_done(ioucmd, res, issue_flags);
	return -EIOCBQUEUED;
}
