// SPDX-License-Identifier: GPL-2.0-only
// io_uring commands on /dev/kcall (uapi/kcall.h, KCALL_URING_CALL): one
// SQE per step, with the operation numbers of a batch record, arguments,
// flags and reserved bytes from the input, now and then another cmd_op,
// run inline (under KCOV) or in an io-wq worker (IOSQE_ASYNC, which KCOV
// does not see). The completion's res must be the single call's outcome
// (the model), and the counters move as for that call.
#include <liburing.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "steps.h"

namespace kcall_fuzz {

namespace {

// The errno the contract gives a command whose cmd_op is ours (0: success).
int expected_res_err(const kcall_uring_cmd &c, bool privileged)
{
    if (c.__reserved)
        return EINVAL;
    if (!batchable(c.op))
        return EOPNOTSUPP;
    Request q;
    q.op = c.op;
    q.flags = c.flags;
    q.arg = c.arg;
    return expected_err(q, privileged);
}

// Submits one command, waits for it, holds its completion to the model.
void uring_command(Context &cx, uint32_t cmd_op, const kcall_uring_cmd &c, bool async)
{
    if (!cx.ring || cx.dev < 0)
        return;
    struct io_uring_sqe *sqe = io_uring_get_sqe(cx.ring);
    if (!sqe)
        violation("uring: no free SQE in an idle ring");
    io_uring_prep_rw(IORING_OP_URING_CMD, sqe, cx.dev, nullptr, 0, 0);
    sqe->cmd_op = cmd_op;
    std::memcpy(sqe->cmd, &c, sizeof(c));
    if (async)
        sqe->flags |= IOSQE_ASYNC;
    bool injected = false;
    const int submitted =
        covered(cx, &injected, [&] { return io_uring_submit_and_wait(cx.ring, 1); });
    struct io_uring_cqe *cqe = nullptr;
    if (submitted != 1 || io_uring_wait_cqe(cx.ring, &cqe) != 0 || !cqe) {
        if (injected || cx.reloading)
            return;  // io_uring's own allocation failed, or the module went
        violation("uring: submit %d", submitted);
    }
    const int res = cqe->res;
    io_uring_cqe_seen(cx.ring, cqe);
    const char *what = "uring";
    if (cx.verbose)
        fprintf(stderr, "uring cmd_op %#x op %u flags %#x arg %d reserved %#x%s: %d\n", cmd_op,
                c.op, c.flags, c.arg, c.__reserved, async ? " async" : "", res);

    const bool ours = cmd_op == KCALL_URING_CALL;
    const int want = ours ? expected_res_err(c, cx.privileged) : ENOTTY;
    const int err = res < 0 ? -res : 0;
    if (!injected && !cx.reloading && err != want)
        violation(
            "%s: cmd_op %#x op %u flags %#x arg %d reserved %#x: errno %s, the contract "
            "says %s",
            what, cmd_op, c.op, c.flags, c.arg, c.__reserved, err ? strerrorname_np(err) : "0",
            want ? strerrorname_np(want) : "0");
    if (!err) {
        Request q;
        q.op = c.op;
        q.arg = c.arg;
        check_value(q, res, what);
    }

    // Counted when the core ran it: ours, reserved zero, a batch's op.
    const bool ran = ours && !c.__reserved && batchable(c.op);
    if (cx.stats && ran) {
        cx.stats->call(c.op, injected ? Counted::unknown : Counted::yes, err != 0);
        if (c.op == KCALL_CMD_STATS_RESET && err == 0)
            cx.stats->reset();
    }
}

kcall_uring_cmd command(uint32_t op, int32_t arg, uint32_t flags = 0, uint32_t reserved = 0)
{
    kcall_uring_cmd c{};
    c.op = op;
    c.arg = arg;
    c.flags = flags;
    c.__reserved = reserved;
    return c;
}

}  // namespace

void uring_step(FuzzedDataProvider &in, Context &cx)
{
    static const uint32_t kOps[] = {KCALL_CMD_GOODBYE, KCALL_CMD_SHOWPARAMS, KCALL_CMD_RETPARAM,
                                    KCALL_CMD_RETPID,  KCALL_CMD_TASKCOUNT,  KCALL_CMD_STATS_RESET,
                                    KCALL_CMD_MESSAGE, KCALL_CMD_STATS,      KCALL_CMD_VERSION,
                                    KCALL_CMD_EVENT,   KCALL_CMD_BATCH,      0};
    kcall_uring_cmd c{};
    c.op = in.ConsumeIntegralInRange(0, 15) ? in.PickValueInArray(kOps)
                                            : in.ConsumeIntegral<uint32_t>();
    if (!in.ConsumeIntegralInRange(0, 15))
        c.flags = in.ConsumeIntegral<uint32_t>() | 1;
    c.arg = consume_arg(in);
    if (!in.ConsumeIntegralInRange(0, 15))
        c.__reserved = in.ConsumeIntegral<uint32_t>() | 1;
    const uint32_t cmd_op =
        in.ConsumeIntegralInRange(0, 15) ? KCALL_URING_CALL : in.ConsumeIntegral<uint32_t>();
    uring_command(cx, cmd_op, c, in.ConsumeIntegralInRange(0, 3) == 0);
}

void uring_seeds(Context &cx)
{
    for (const bool async : {false, true}) {
        uring_command(cx, KCALL_URING_CALL, command(KCALL_CMD_RETPARAM, 7), async);
        uring_command(cx, KCALL_URING_CALL, command(KCALL_CMD_RETPARAM, 2000), async);
        uring_command(cx, KCALL_URING_CALL, command(KCALL_CMD_RETPID, KCALL_RETPID_PARENT), async);
        uring_command(cx, KCALL_URING_CALL, command(KCALL_CMD_TASKCOUNT, 0), async);
        uring_command(cx, KCALL_URING_CALL, command(KCALL_CMD_STATS_RESET, 0), async);
    }
    uring_command(cx, KCALL_URING_CALL, command(KCALL_CMD_RETPARAM, 1, 1), false);     // flags
    uring_command(cx, KCALL_URING_CALL, command(KCALL_CMD_RETPARAM, 1, 0, 1), false);  // reserved
    uring_command(cx, KCALL_URING_CALL, command(KCALL_CMD_MESSAGE, 0), false);     // no pointers
    uring_command(cx, KCALL_IOC_RETPARAM, command(KCALL_CMD_RETPARAM, 1), false);  // not ours
}

}  // namespace kcall_fuzz
