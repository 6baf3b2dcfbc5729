// SPDX-License-Identifier: GPL-2.0-only
// The contract (docs/SPEC.md) as a model: what a well-formed request of each
// operation answers, and which values its result may take. Also the
// input-decoding helpers every step shares.
#include <unistd.h>

#include <cerrno>
#include <climits>

#include "steps.h"

namespace kcall_fuzz {

int32_t consume_arg(FuzzedDataProvider &in)
{
    static const int32_t kInteresting[] = {
        0,
        1,
        2,
        3,
        -1,
        KCALL_RETPARAM_MAX,
        KCALL_RETPARAM_MAX + 1,
        512,
        INT_MIN,
        INT_MAX,
        -KCALL_RETPARAM_MAX,
    };
    if (in.ConsumeBool())
        return in.PickValueInArray(kInteresting);
    return in.ConsumeIntegral<int32_t>();
}

std::string consume_text(FuzzedDataProvider &in)
{
    size_t len = 0;
    switch (in.ConsumeIntegralInRange<int>(0, 5)) {
        case 0:
            len = 0;
            break;
        case 1:
            len = KCALL_MESSAGE_MAX;
            break;
        case 2:
            len = KCALL_MESSAGE_MAX + 1;
            break;
        case 3:
            len = in.ConsumeIntegralInRange<size_t>(KCALL_MESSAGE_MAX + 2, 700);
            break;
        default:
            len = in.ConsumeIntegralInRange<size_t>(1, 40);
            break;
    }
    // Printable, or anything (control bytes, quotes, high bytes) but NUL.
    std::string t = in.ConsumeBytesAsString(len);
    const bool printable = in.ConsumeBool();
    t.resize(len, 'x');
    for (char &c : t) {
        if (printable)
            c = static_cast<char>(0x20 + static_cast<unsigned char>(c) % 0x5f);
        else if (c == '\0')
            c = '\x01';
    }
    return t;
}

int expected_err(const Request &r, bool privileged)
{
    if (r.flags)
        return EINVAL;
    switch (r.op) {
        case KCALL_CMD_RETPARAM:
            return static_cast<uint32_t>(r.arg) > KCALL_RETPARAM_MAX ? EINVAL : 0;
        case KCALL_CMD_RETPID:
            return r.arg == KCALL_RETPID_SELF || r.arg == KCALL_RETPID_PARENT ? 0 : EINVAL;
        case KCALL_CMD_MESSAGE:
            return r.text.size() > KCALL_MESSAGE_MAX ? EINVAL : 0;
        case KCALL_CMD_STATS_RESET:
            return privileged ? 0 : EPERM;
        default:
            return 0;
    }
}

void check_value(const Request &r, int64_t value, const char *what)
{
    bool ok = true;
    int64_t want = 0;
    switch (r.op) {
        case KCALL_CMD_RETPARAM:
            ok = value == (want = r.arg);
            break;
        case KCALL_CMD_RETPID:
            ok = value == (want = r.arg == KCALL_RETPID_SELF ? getpid() : getppid());
            break;
        case KCALL_CMD_TASKCOUNT:
            ok = value > 0;
            break;
        case KCALL_CMD_VERSION: {
            uint64_t mask = 0;
            for (unsigned op = KCALL_CMD_GOODBYE; op <= kMaxOp; op++)
                mask |= KCALL_FEATURE(op);
            // Not operations, announced: batches and io_uring commands.
            mask |= KCALL_FEATURE(KCALL_CMD_BATCH) | KCALL_FEATURE_URING_CMD;
            ok = static_cast<uint64_t>(value) == mask;
            want = static_cast<int64_t>(mask);
            break;
        }
        default:
            break;
    }
    if (!ok)
        violation("%s: op %u (arg %d) returned %lld, the contract says %lld", what, r.op, r.arg,
                  static_cast<long long>(value), static_cast<long long>(want));
}

}  // namespace kcall_fuzz
