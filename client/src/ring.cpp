// SPDX-License-Identifier: MIT
// kcall::Ring: kcall operations as io_uring commands on /dev/kcall, with
// liburing. The device is registered with the ring (a fixed file), so no
// command looks it up again; each SQE carries one struct kcall_uring_cmd.
#include <liburing.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include <kcall.h>

#include "autoload.hpp"
#include "kcall/kcall.hpp"
#include "unique_fd.hpp"

namespace kcall {

struct Ring::Impl {
    struct io_uring ring {};
    bool ring_ready = false;  // ring needs io_uring_queue_exit()
    UniqueFd dev;
    bool async = false;
    bool sqpoll = false;
    unsigned queued = 0;     // pushed, not yet submitted
    unsigned in_flight = 0;  // submitted, completion not yet taken

    Impl() = default;
    Impl(const Impl &) = delete;
    Impl &operator=(const Impl &) = delete;
    ~Impl()
    {
        if (ring_ready)
            io_uring_queue_exit(&ring);
    }
};

namespace {

// Whether the module says it takes io_uring commands.
Result<void> require_uring(int fd)
{
    struct kcall_version v {};
    v.size = sizeof(v);
    if (::ioctl(fd, KCALL_IOC_VERSION, &v) < 0 && errno != ENOTTY)
        return Error{errno, {}};
    if (!(v.features & KCALL_FEATURE_URING_CMD))
        return Error{EOPNOTSUPP, "module too old for io_uring"};
    return {};
}

RingCompletion completion_of(const struct io_uring_cqe *cqe)
{
    RingCompletion c;
    c.tag = cqe->user_data;
    if (cqe->res < 0)
        c.error = -cqe->res;
    else
        c.result = cqe->res;
    return c;
}

}  // namespace

Ring::Ring(std::unique_ptr<Impl> impl) : impl_(std::move(impl))
{
}
Ring::Ring(Ring &&) noexcept = default;
Ring &Ring::operator=(Ring &&) noexcept = default;
Ring::~Ring() = default;

Result<Ring> Ring::open(const RingOptions &options)
{
    UniqueFd dev(open_device());
    if (!dev.valid())
        return Error{errno, {}};
    if (auto ok = require_uring(dev.get()); !ok)
        return ok.error();

    auto impl = std::make_unique<Impl>();
    impl->dev = std::move(dev);
    impl->async = options.async;
    impl->sqpoll = options.sqpoll;
    struct io_uring_params p {};
    if (options.sqpoll) {
        p.flags |= IORING_SETUP_SQPOLL;
        p.sq_thread_idle = 1000;  // ms the thread polls before it sleeps
    }
    int ret = io_uring_queue_init_params(options.entries ? options.entries : 1, &impl->ring, &p);
    if (ret < 0) {
        if (ret == -EPERM)
            return Error{EPERM, "io_uring is disabled (sysctl kernel.io_uring_disabled)"};
        return Error{-ret, "io_uring_queue_init"};
    }
    impl->ring_ready = true;
    const int fd = impl->dev.get();
    ret = io_uring_register_files(&impl->ring, &fd, 1);
    if (ret < 0)
        return Error{-ret, "io_uring_register_files"};
    return Ring(std::move(impl));
}

bool Ring::push(Op op, int32_t arg, uint64_t tag)
{
    const uint32_t nr = op_number(op);
    if (nr == 0)
        return false;
    struct io_uring_sqe *sqe = io_uring_get_sqe(&impl_->ring);
    if (!sqe)
        return false;
    // File index 0 of the registered files: /dev/kcall.
    io_uring_prep_rw(IORING_OP_URING_CMD, sqe, 0, nullptr, 0, 0);
    sqe->flags = IOSQE_FIXED_FILE | (impl_->async ? IOSQE_ASYNC : 0);
    sqe->cmd_op = KCALL_URING_CALL;
    struct kcall_uring_cmd cmd {};
    cmd.op = nr;
    cmd.arg = arg;
    static_assert(sizeof(cmd) <= 16, "a 64-byte SQE has 16 bytes of command");
    std::memcpy(sqe->cmd, &cmd, sizeof(cmd));
    io_uring_sqe_set_data64(sqe, tag);
    ++impl_->queued;
    return true;
}

Result<unsigned> Ring::submit(unsigned wait_for)
{
    const int ret = io_uring_submit_and_wait(&impl_->ring, wait_for);
    // Under SQPOLL what is queued was handed over when the ring's tail was
    // published, before any system call: the poller takes it whatever the
    // wait then returns (EINTR), so it is in flight either way. Without
    // SQPOLL a failed call submitted nothing (the kernel returns the count
    // when it submitted some) and the SQEs wait in the ring for the next.
    if (ret < 0 && !impl_->sqpoll)
        return Error{-ret, "io_uring_submit"};
    // io_uring's count is not used: it is the ring's tail minus its head, so
    // under SQPOLL it includes an SQE whose completion was already posted
    // while the poller had not yet moved the head past it.
    const unsigned n = impl_->queued;
    impl_->in_flight += n;
    impl_->queued = 0;
    if (ret < 0)
        return Error{-ret, "io_uring_submit"};
    return n;
}

std::size_t Ring::reap(RingCompletion *out, std::size_t max)
{
    std::size_t n = 0;
    struct io_uring_cqe *cqe = nullptr;
    while (n < max && io_uring_peek_cqe(&impl_->ring, &cqe) == 0 && cqe) {
        out[n++] = completion_of(cqe);
        io_uring_cqe_seen(&impl_->ring, cqe);
        --impl_->in_flight;
    }
    return n;
}

Result<RingCompletion> Ring::next()
{
    // An SQE the kernel left in the ring (it stops a submission at an SQE it
    // cannot issue) is entered again here, so waiting cannot hang on it.
    if (impl_->queued || io_uring_sq_ready(&impl_->ring)) {
        if (auto r = submit(); !r)
            return r.error();
    }
    if (impl_->in_flight == 0)
        return Error{ENOENT, "nothing in flight"};
    struct io_uring_cqe *cqe = nullptr;
    const int ret = io_uring_wait_cqe(&impl_->ring, &cqe);
    if (ret < 0)
        return Error{-ret, "io_uring_wait_cqe"};
    const RingCompletion c = completion_of(cqe);
    io_uring_cqe_seen(&impl_->ring, cqe);
    --impl_->in_flight;
    return c;
}

unsigned Ring::in_flight() const
{
    return impl_->in_flight;
}

}  // namespace kcall
