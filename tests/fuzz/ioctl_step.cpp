// SPDX-License-Identifier: GPL-2.0-only
// ioctl steps: command numbers (kcall's, ABI 2's, with direction or size
// bits, other types, anything), size-first structs with their size, flags,
// reserved words and argument chosen by the input, and every pointer
// (the struct, message's text, stats' array) valid, NULL, in the kernel,
// read-only, unmapped or straddling a page.
#include <sys/ioctl.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <vector>

#include "steps.h"

namespace kcall_fuzz {

namespace {

constexpr uint8_t kPoison = 0xa5;

// Where each struct keeps what: offsets, -1 for none. min_size is its first
// published layout (chardev.c's table), below which the module says EINVAL.
struct Layout {
    uint32_t size, min_size;
    int arg, zero, result, result_size;
};

#define KF_END(s, f) static_cast<uint32_t>(offsetof(s, f) + sizeof(s::f))
#define KF_OFF(s, f) static_cast<int>(offsetof(s, f))
const Layout kLayouts[kMaxOp + 1] = {
    {},
    {sizeof(kcall_goodbye), KF_END(kcall_goodbye, flags), -1, -1, -1, 0},
    {sizeof(kcall_showparams), KF_END(kcall_showparams, __reserved),
     KF_OFF(kcall_showparams, value), KF_OFF(kcall_showparams, __reserved), -1, 0},
    {sizeof(kcall_retparam), KF_END(kcall_retparam, result), KF_OFF(kcall_retparam, value), -1,
     KF_OFF(kcall_retparam, result), 4},
    {sizeof(kcall_retpid), KF_END(kcall_retpid, pid), KF_OFF(kcall_retpid, which), -1,
     KF_OFF(kcall_retpid, pid), 4},
    {sizeof(kcall_taskcount), KF_END(kcall_taskcount, count), -1, -1,
     KF_OFF(kcall_taskcount, count), 8},
    {sizeof(kcall_message), KF_END(kcall_message, text), -1, -1, -1, 0},
    {sizeof(kcall_stats), KF_END(kcall_stats, __reserved), -1, KF_OFF(kcall_stats, __reserved),
     KF_OFF(kcall_stats, nr_entries), 4},
    {sizeof(kcall_stats_reset), KF_END(kcall_stats_reset, flags), -1, -1, -1, 0},
    // abi_version, __reserved and features: all written on success.
    {sizeof(kcall_version), KF_END(kcall_version, abi_version), -1, -1,
     KF_OFF(kcall_version, abi_version), 16},
};
#undef KF_END
#undef KF_OFF

// One ioctl as the input chose it.
struct IoctlSpec {
    unsigned long cmd = 0;
    unsigned layout = 0;  // whose struct the bytes are laid out as
    uint32_t usize = 0;
    Request req;
    uint32_t zero = 0;  // the reserved word
    Where where = Where::valid;
    Where target = Where::valid;  // message's text, stats' array
    bool terminated = true;       // the text ends in a NUL
    uint32_t nr_entries = 0;
    int tail = -1;  // offset of a non-zero byte past the struct, -1 none
};

// The operation a command number names: the uapi's _IO(0xCA, nr), today's
// numbers or ABI 2's; 0 for anything else.
unsigned op_of(unsigned long cmd)
{
    const unsigned nr = _IOC_NR(cmd);
    if (cmd != _IO(KCALL_IOCTL_TYPE, nr))
        return 0;
    for (unsigned base : {0u + KCALL_IOC_NR_BASE, 0u + KCALL_IOC_NR_BASE_ABI2}) {
        if (nr >= base && nr < base + kMaxOp)
            return nr - base + 1;
    }
    return 0;
}

Where consume_where(FuzzedDataProvider &in)
{
    if (in.ConsumeIntegralInRange<int>(0, 3))
        return Where::valid;
    return static_cast<Where>(in.ConsumeIntegralInRange<int>(0, kWhereCount - 1));
}

unsigned long consume_cmd(FuzzedDataProvider &in, unsigned op)
{
    const unsigned nr = KCALL_IOC_NR_BASE + op - 1;
    switch (in.ConsumeIntegralInRange<int>(0, 11)) {
        case 6:
            return _IO(KCALL_IOCTL_TYPE, KCALL_IOC_NR_BASE_ABI2 + op - 1);
        case 7:
            return _IOC(in.ConsumeIntegralInRange<unsigned>(1, 3), KCALL_IOCTL_TYPE, nr,
                        in.ConsumeIntegralInRange<unsigned>(0, _IOC_SIZEMASK));
        case 8:
            return _IO(in.ConsumeIntegralInRange<unsigned>(0, 0xc9), nr);
        case 9: {
            static const unsigned kEdges[] = {KCALL_IOC_NR_BASE - 1,
                                              KCALL_IOC_NR_BASE + kMaxOp,
                                              KCALL_IOC_NR_BASE_ABI2 - 1,
                                              KCALL_IOC_NR_BASE_ABI2 + kMaxOp,
                                              0,
                                              0xff};
            return _IO(KCALL_IOCTL_TYPE, in.PickValueInArray(kEdges));
        }
        case 10:
            return in.ConsumeIntegral<uint32_t>();
        default:
            return _IO(KCALL_IOCTL_TYPE, nr);
    }
}

uint32_t consume_size(FuzzedDataProvider &in, const Layout &l, size_t page)
{
    switch (in.ConsumeIntegralInRange<int>(0, 11)) {
        case 0:
            return l.min_size;
        case 1:
            return l.min_size - 1;
        case 2:
            return l.size + 8;
        case 3:
            return static_cast<uint32_t>(page);
        case 4:
            return static_cast<uint32_t>(page) + 1;
        case 5:
            return in.ConsumeIntegral<uint32_t>();
        case 6:
            return in.ConsumeIntegralInRange<uint32_t>(0, 64);
        default:
            return l.size;
    }
}

IoctlSpec consume_spec(FuzzedDataProvider &in, const Arena &arena)
{
    IoctlSpec s;
    s.req.op = in.ConsumeIntegralInRange<unsigned>(KCALL_CMD_GOODBYE, kMaxOp);
    s.layout = s.req.op;
    s.cmd = consume_cmd(in, s.req.op);
    const Layout &l = kLayouts[s.layout];
    s.usize = consume_size(in, l, arena.page());
    s.req.flags = in.ConsumeIntegralInRange<int>(0, 7) ? 0 : in.ConsumeIntegral<uint32_t>();
    s.req.arg = consume_arg(in);
    s.zero = in.ConsumeIntegralInRange<int>(0, 7) ? 0 : in.ConsumeIntegral<uint32_t>();
    s.where = consume_where(in);
    if (s.req.op == KCALL_CMD_MESSAGE) {
        s.req.text = consume_text(in);
        s.terminated = in.ConsumeIntegralInRange<int>(0, 7) != 0;
        s.target = consume_where(in);
    } else if (s.req.op == KCALL_CMD_STATS) {
        static const uint32_t kCounts[] = {0, 1, kMaxOp - 1, kMaxOp, kMaxOp + 1, 64};
        s.nr_entries =
            in.ConsumeBool() ? in.PickValueInArray(kCounts) : in.ConsumeIntegral<uint32_t>();
        s.target = consume_where(in);
    }
    if (s.usize > l.size && s.usize <= arena.page() && !in.ConsumeIntegralInRange<int>(0, 3))
        s.tail = static_cast<int>(in.ConsumeIntegralInRange<uint32_t>(l.size, s.usize - 1));
    return s;
}

// The struct itself got through the transport's decoding: right number,
// readable, a size the module takes, no unknown bytes, reserved word zero.
bool struct_ok(const IoctlSpec &s, const Arena &arena)
{
    const Layout &l = kLayouts[s.layout];
    return op_of(s.cmd) == s.req.op && s.where == Where::valid && s.usize >= l.min_size &&
           s.usize <= arena.page() && s.tail < 0 && !(l.zero >= 0 && s.zero);
}

// ...and so did what it points to: the model then knows the exact answer.
bool well_formed(const IoctlSpec &s, const Arena &arena)
{
    if (!struct_ok(s, arena))
        return false;
    if (s.req.op == KCALL_CMD_MESSAGE)
        return s.target == Where::valid && s.terminated;
    if (s.req.op == KCALL_CMD_STATS)
        return s.target == Where::valid || s.nr_entries == 0;
    return true;
}

template <typename T>
T get(const unsigned char *p, int off)
{
    T v;
    std::memcpy(&v, p + off, sizeof(v));
    return v;
}

// The bytes the module may write back: the result, on success, inside the
// part of the struct both sides know.
bool may_change(const Layout &l, uint32_t usize, size_t i)
{
    return l.result >= 0 && i >= static_cast<size_t>(l.result) &&
           i < static_cast<size_t>(l.result) + static_cast<size_t>(l.result_size) && i < l.size &&
           i < usize;
}

Answer run(Context &cx, const IoctlSpec &s, const char *what)
{
    Arena &arena = cx.arena;
    const Layout &l = kLayouts[s.layout];
    const unsigned op = op_of(s.cmd);

    // The pointed-to object first: message's text or stats' array.
    uint64_t target = 0;
    unsigned char *tp = nullptr;
    std::string text = s.req.text;
    size_t poisoned = 0;
    if (s.req.op == KCALL_CMD_MESSAGE) {
        // Unterminated: more text up to 300 bytes, then the NUL.
        if (!s.terminated)
            text.resize(text.size() < 300 ? 300 : text.size() + 1, 'y');
        tp = arena.place(s.target, text.size() + 1, 1, &target);
        if (tp)
            arena.write(tp, text.c_str(), text.size() + 1);
    } else if (s.req.op == KCALL_CMD_STATS) {
        poisoned = (s.nr_entries < kMaxOp + 2 ? s.nr_entries : kMaxOp + 2) * sizeof(kcall_op_stats);
        tp = arena.place(s.target, poisoned ? poisoned : 1, 1, &target);
        if (tp) {
            std::vector<unsigned char> poison(poisoned, kPoison);
            poisoned = arena.write(tp, poison.data(), poison.size());
        }
    }

    // The struct, and the tail its size claims (zeros, or one non-zero).
    const size_t page = arena.page();
    std::vector<unsigned char> img(s.usize > l.size && s.usize <= page ? s.usize : 64, 0);
    std::memset(img.data() + 8, kPoison, l.size - 8);  // result bytes: poison
    std::memcpy(img.data(), &s.usize, 4);
    std::memcpy(img.data() + 4, &s.req.flags, 4);
    if (l.arg >= 0)
        std::memcpy(img.data() + l.arg, &s.req.arg, 4);
    if (l.zero >= 0)
        std::memcpy(img.data() + l.zero, &s.zero, 4);
    if (s.req.op == KCALL_CMD_MESSAGE || s.req.op == KCALL_CMD_STATS)
        std::memcpy(img.data() + 8, &target, 8);
    if (s.req.op == KCALL_CMD_STATS)
        std::memcpy(img.data() + 16, &s.nr_entries, 4);
    if (s.tail >= 0)
        img[static_cast<size_t>(s.tail)] = static_cast<unsigned char>(s.tail | 1);
    uint64_t addr = 0;
    unsigned char *p = arena.place(s.where, img.size(), 0, &addr);
    if (p)
        arena.write(p, img.data(), img.size());
    const std::vector<unsigned char> before = img;

    bool injected = false;
    const int r = covered(cx, &injected, [&] { return ioctl(cx.dev, s.cmd, addr); });
    Answer a;
    a.err = r == 0 ? 0 : errno;
    if (cx.verbose)
        std::fprintf(stderr,
                     "kfuzz: %s: cmd %#lx op %u size %u flags %#x arg %d where %d/%d: %s%s\n", what,
                     s.cmd, op, s.usize, s.req.flags, s.req.arg, static_cast<int>(s.where),
                     static_cast<int>(s.target), a.err ? strerrorname_np(a.err) : "ok",
                     injected ? " (injected)" : "");
    a.injected = injected;
    Circumstances c;
    c.injected = injected;
    // Another type's numbers may be the VFS's own (FIONBIO, FIGETBSZ...),
    // answered before the driver sees them: not kcall's answer to judge.
    if (_IOC_TYPE(s.cmd) == KCALL_IOCTL_TYPE)
        check_errno(Transport::ioctl, op, a.err, c, what);

    const bool wf = well_formed(s, arena);
    Request effective = s.req;
    if (s.req.op == KCALL_CMD_MESSAGE)
        effective.text = text.c_str();  // what a C string carries
    const int want = expected_err(effective, cx.privileged);
    if (wf && !injected && a.err != want)
        violation(
            "%s: well-formed ioctl op %u (flags %#x arg %d, %zu-byte text) answered %s, "
            "the contract says %s",
            what, op, s.req.flags, s.req.arg, effective.text.size(),
            a.err ? strerrorname_np(a.err) : "0", want ? strerrorname_np(want) : "0");

    // Counted by the core? Known unless the errno may come from either side.
    Counted counted = Counted::unknown;
    if (!injected) {
        if (a.err == 0 || a.err == EPERM)
            counted = Counted::yes;
        else if (a.err == ENOTTY || a.err == E2BIG || !op)
            counted = Counted::no;
        else if (a.err == EINVAL)
            counted = s.usize < l.min_size || (l.zero >= 0 && s.zero) ? Counted::no : Counted::yes;
        else if (a.err == EFAULT && struct_ok(s, arena))
            // message's text is read before the core, stats' array
            // written after it.
            counted = s.req.op == KCALL_CMD_STATS ? Counted::yes : Counted::no;
    }
    if (cx.stats) {
        cx.stats->call(op, counted, a.err != 0);
        if (op == KCALL_CMD_STATS_RESET && a.err == 0)
            cx.stats->reset();
    }

    // Every byte of the struct the module wrote back is one it meant to.
    // (Other types' numbers may be the VFS's, which write: FIGETBSZ.)
    if (s.where == Where::valid && _IOC_TYPE(s.cmd) == KCALL_IOCTL_TYPE) {
        for (size_t i = 0; i < img.size(); i++) {
            if (p[i] != before[i] && (a.err || !may_change(l, s.usize, i)))
                violation(
                    "%s: ioctl op %u (%s) changed byte %zu of its struct (size %u): "
                    "%#x -> %#x",
                    what, op, a.err ? strerrorname_np(a.err) : "ok", i, s.usize, before[i], p[i]);
        }
    }
    // The result is the operation's only when kcall ran that operation.
    if (a.err || s.where != Where::valid || injected || op != s.req.op)
        return a;

    switch (s.req.op) {
        case KCALL_CMD_RETPARAM:
        case KCALL_CMD_RETPID:
            a.value = get<int32_t>(p, l.result);
            check_value(s.req, a.value, what);
            break;
        case KCALL_CMD_TASKCOUNT:
            a.value = static_cast<int64_t>(get<uint64_t>(p, l.result));
            check_value(s.req, a.value, what);
            break;
        case KCALL_CMD_VERSION:
            if (get<uint32_t>(p, 8) != KCALL_ABI_VERSION)
                violation("%s: version says ABI %u", what, get<uint32_t>(p, 8));
            if (s.usize >= 16 && get<uint32_t>(p, 12) != 0)
                violation("%s: version's reserved word is %#x", what, get<uint32_t>(p, 12));
            if (s.usize >= 24) {
                a.value = static_cast<int64_t>(get<uint64_t>(p, 16));
                check_value(s.req, a.value, what);
            }
            break;
        case KCALL_CMD_STATS: {
            const uint32_t n = get<uint32_t>(p, 16);
            if (n != kMaxOp)
                violation("%s: stats reports %u operations, there are %u", what, n, kMaxOp);
            if (s.target != Where::valid)
                break;
            const size_t filled = (s.nr_entries < n ? s.nr_entries : n) * sizeof(kcall_op_stats);
            for (size_t i = 0; i < poisoned; i += sizeof(kcall_op_stats)) {
                kcall_op_stats e;
                std::memcpy(&e, tp + i, sizeof(e));
                if (i < filled && (!is_op(e.op) || e.__reserved || e.failures > e.calls))
                    violation("%s: stats entry %zu: op %u reserved %u calls %llu failures %llu",
                              what, i / sizeof(e), e.op, e.__reserved,
                              static_cast<unsigned long long>(e.calls),
                              static_cast<unsigned long long>(e.failures));
                for (size_t b = i; b < i + sizeof(e) && i >= filled; b++) {
                    if (tp[b] != kPoison)
                        violation("%s: stats wrote byte %zu past the %u entries asked for", what, b,
                                  s.nr_entries);
                }
            }
            break;
        }
        default:
            break;
    }
    return a;
}

}  // namespace

void ioctl_step(FuzzedDataProvider &in, Context &cx)
{
    if (cx.dev < 0)
        return;
    run(cx, consume_spec(in, cx.arena), "ioctl step");
}

Answer ioctl_call(Context &cx, const Request &r)
{
    IoctlSpec s;
    s.req = r;
    s.layout = r.op;
    s.cmd = _IO(KCALL_IOCTL_TYPE, KCALL_IOC_NR_BASE + r.op - 1);
    s.usize = kLayouts[r.op].size;
    s.nr_entries = kMaxOp;
    if (cx.dev < 0) {
        Answer a;
        a.answered = false;
        return a;
    }
    return run(cx, s, "pair step (ioctl)");
}

}  // namespace kcall_fuzz
