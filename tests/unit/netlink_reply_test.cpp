// SPDX-License-Identifier: GPL-2.0-only
// The netlink backend against a fake kernel: a netlink socket of this
// process that answers each request as a scenario says (or not at all).
// A reply that never comes ends in ETIMEDOUT; a reply that is not ours
// (other sender, port, sequence or command) is not taken; truncated
// headers and attributes are refused without being read past their end.
// Needs CAP_NET_ADMIN (unicast between user netlink sockets); skipped
// without it.
#include <gtest/gtest.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <thread>
#include <vector>

#include <kcall.h>  // the uapi

#include "backends.hpp"
#include "unique_fd.hpp"

namespace kcall_test {
namespace {

constexpr int kFamily = 0x1f;
constexpr int kTimeoutMs = 200;

// A request as the fake saw it.
struct Request {
    uint32_t port = 0;
    uint32_t seq = 0;
    uint8_t cmd = 0;
};

// Builds the bytes of one netlink message.
struct Message {
    std::vector<char> bytes;

    Message(uint16_t type, const Request &req, uint16_t flags = 0)
    {
        nlmsghdr h{};
        h.nlmsg_type = type;
        h.nlmsg_flags = flags;
        h.nlmsg_seq = req.seq;
        h.nlmsg_pid = req.port;
        append(&h, sizeof(h));
    }
    void append(const void *p, size_t n)
    {
        const auto *c = static_cast<const char *>(p);
        bytes.insert(bytes.end(), c, c + n);
        bytes.resize(NLMSG_ALIGN(bytes.size()), 0);
        header()->nlmsg_len = static_cast<uint32_t>(bytes.size());
    }
    void attr(uint16_t type, const void *p, uint16_t len)
    {
        nlattr a{static_cast<uint16_t>(NLA_HDRLEN + len), type};
        std::vector<char> buf(NLA_HDRLEN + len);
        std::memcpy(buf.data(), &a, sizeof(a));
        std::memcpy(buf.data() + NLA_HDRLEN, p, len);
        append(buf.data(), buf.size());
    }
    nlmsghdr *header() { return reinterpret_cast<nlmsghdr *>(bytes.data()); }
};

Message genl_reply(const Request &req, uint8_t cmd)
{
    Message m(kFamily, req);
    genlmsghdr g{cmd, KCALL_GENL_VERSION, 0};
    m.append(&g, sizeof(g));
    return m;
}

Message error_reply(const Request &req, int err)
{
    Message m(NLMSG_ERROR, req, NLM_F_CAPPED);
    nlmsgerr e{};
    e.error = -err;
    m.append(&e, sizeof(e));
    return m;
}

using Answer = std::function<void(const Request &, int fd, std::vector<Message> *out)>;

class FakeKernel {
public:
    explicit FakeKernel(Answer answer) : answer_(std::move(answer))
    {
        fd_ = kcall::UniqueFd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC));
        sockaddr_nl a{};
        a.nl_family = AF_NETLINK;
        socklen_t len = sizeof(a);
        if (!fd_.valid() || ::bind(fd_.get(), reinterpret_cast<sockaddr *>(&a), sizeof(a)) != 0 ||
            ::getsockname(fd_.get(), reinterpret_cast<sockaddr *>(&a), &len) != 0)
            return;
        port_ = a.nl_pid;
        thread_ = std::thread([this] { serve(); });
    }
    ~FakeKernel()
    {
        stop_ = true;
        fd_.reset();  // recv fails, or the timeout below ends it
        if (thread_.joinable())
            thread_.join();
    }
    FakeKernel(const FakeKernel &) = delete;
    FakeKernel &operator=(const FakeKernel &) = delete;

    uint32_t port() const { return port_; }

private:
    void serve()
    {
        const timeval tv{0, suseconds_t{50000}};
        setsockopt(fd_.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        alignas(nlmsghdr) char buf[8192];
        while (!stop_) {
            const ssize_t n = ::recv(fd_.get(), buf, sizeof(buf), 0);
            if (n < static_cast<ssize_t>(NLMSG_HDRLEN + GENL_HDRLEN))
                continue;
            const auto *h = reinterpret_cast<const nlmsghdr *>(buf);
            Request req{h->nlmsg_pid, h->nlmsg_seq,
                        static_cast<const genlmsghdr *>(NLMSG_DATA(h))->cmd};
            std::vector<Message> out;
            answer_(req, fd_.get(), &out);
            for (auto &m : out) {
                sockaddr_nl to{};
                to.nl_family = AF_NETLINK;
                to.nl_pid = req.port;
                ::sendto(fd_.get(), m.bytes.data(), m.bytes.size(), 0,
                         reinterpret_cast<sockaddr *>(&to), sizeof(to));
            }
        }
    }

    Answer answer_;
    kcall::UniqueFd fd_;
    uint32_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

class NetlinkReply : public testing::Test {
protected:
    void SetUp() override
    {
        // Unicast between user sockets needs CAP_NET_ADMIN: probe it.
        FakeKernel probe([](const Request &, int, std::vector<Message> *) {});
        kcall::UniqueFd s(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC));
        sockaddr_nl to{};
        to.nl_family = AF_NETLINK;
        to.nl_pid = probe.port();
        if (::connect(s.get(), reinterpret_cast<sockaddr *>(&to), sizeof(to)) != 0)
            GTEST_SKIP() << "no CAP_NET_ADMIN: " << std::strerror(errno);
    }

    // retparam(7) against a fake that answers with answer.
    kcall::Result<int32_t> retparam(const Answer &answer, int64_t *elapsed_ms = nullptr)
    {
        FakeKernel fake(answer);
        auto backend = kcall::open_netlink_backend_to_peer(fake.port(), kFamily, kTimeoutMs);
        if (!backend)
            return backend.error();
        kcall::Client client(std::move(*backend));
        const auto t0 = std::chrono::steady_clock::now();
        auto r = client.retparam(7);
        if (elapsed_ms)
            *elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - t0)
                              .count();
        return r;
    }
};

Answer valid_answer(int32_t value)
{
    return [value](const Request &req, int, std::vector<Message> *out) {
        Message m = genl_reply(req, req.cmd);
        m.attr(KCALL_A_RESULT, &value, sizeof(value));
        out->push_back(std::move(m));
    };
}

TEST_F(NetlinkReply, TheFakeAnswersLikeTheKernel)
{
    auto r = retparam(valid_answer(7));
    ASSERT_TRUE(r) << r.error().what();
    EXPECT_EQ(*r, 7);
}

TEST_F(NetlinkReply, AnAnswerThatNeverComesTimesOut)
{
    int64_t ms = 0;
    auto r = retparam([](const Request &, int, std::vector<Message> *) {}, &ms);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ETIMEDOUT) << r.error().what();
    EXPECT_GE(ms, kTimeoutMs - 10);
    EXPECT_LT(ms, 20 * kTimeoutMs);  // bounded, not a speed target
}

// A periodic signal (a profiler's SIGPROF) interrupts the wait again and
// again: the call still ends at its deadline, while the signals go on,
// instead of waiting for a quiet stretch of a whole timeout.
TEST_F(NetlinkReply, APeriodicSignalDoesNotStretchTheTimeout)
{
    struct sigaction sa {};
    struct sigaction old {};
    sa.sa_handler = [](int) {};
    sigemptyset(&sa.sa_mask);  // no SA_RESTART: the receive fails with EINTR
    ASSERT_EQ(sigaction(SIGUSR1, &sa, &old), 0);
    const pthread_t caller = pthread_self();
    std::atomic<bool> done{false};
    std::atomic<int> sent{0};
    constexpr int kSignals = 500;  // every 20 ms: fifty timeouts' worth
    std::thread ticker([&] {
        while (!done && sent < kSignals) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            if (!done) {
                pthread_kill(caller, SIGUSR1);
                sent++;
            }
        }
    });
    auto r = retparam([](const Request &, int, std::vector<Message> *) {});
    done = true;
    const int at_return = sent;
    ticker.join();
    sigaction(SIGUSR1, &old, nullptr);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ETIMEDOUT) << r.error().what();
    EXPECT_LT(at_return, kSignals) << "the call ended only once the signals stopped";
}

TEST_F(NetlinkReply, AnswersThatAreNotOursAreNotTaken)
{
    // Another port, another sequence number: ignored, so the wait times out.
    for (const auto &tweak : std::vector<std::function<void(Request *)>>{
             [](Request *r) { r->port += 1; }, [](Request *r) { r->seq += 1; }}) {
        auto r = retparam([&](const Request &req, int, std::vector<Message> *out) {
            Request other = req;
            tweak(&other);
            int32_t v = 99;
            Message m = genl_reply(other, req.cmd);
            m.attr(KCALL_A_RESULT, &v, sizeof(v));
            m.header()->nlmsg_pid = other.port;
            out->push_back(std::move(m));
        });
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, ETIMEDOUT);
    }
}

TEST_F(NetlinkReply, AnAnswerFromAnotherSenderIsNotTaken)
{
    kcall::UniqueFd intruder(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC));
    auto r = retparam([&](const Request &req, int, std::vector<Message> *) {
        int32_t v = 99;
        Message m = genl_reply(req, req.cmd);
        m.attr(KCALL_A_RESULT, &v, sizeof(v));
        sockaddr_nl to{};
        to.nl_family = AF_NETLINK;
        to.nl_pid = req.port;
        ::sendto(intruder.get(), m.bytes.data(), m.bytes.size(), 0,
                 reinterpret_cast<sockaddr *>(&to), sizeof(to));
    });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ETIMEDOUT);
}

TEST_F(NetlinkReply, AReplyToAnotherCommandIsRefused)
{
    auto r = retparam([](const Request &req, int, std::vector<Message> *out) {
        int32_t v = 99;
        Message m = genl_reply(req, KCALL_CMD_RETPID);
        m.attr(KCALL_A_RESULT, &v, sizeof(v));
        out->push_back(std::move(m));
    });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, EPROTO);
    EXPECT_EQ(r.error().message, "reply to another command");
}

TEST_F(NetlinkReply, ShortHeadersAndAttributesAreRefused)
{
    // An error message too short for struct nlmsgerr.
    auto r = retparam([](const Request &req, int, std::vector<Message> *out) {
        Message m(NLMSG_ERROR, req);
        const int32_t err = -EPERM;
        m.append(&err, sizeof(err));
        out->push_back(std::move(m));
    });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, EPROTO);
    EXPECT_EQ(r.error().message, "truncated error message");

    // A reply without room for its generic netlink header.
    r = retparam([](const Request &req, int, std::vector<Message> *out) {
        out->emplace_back(kFamily, req);
    });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, EPROTO);
    EXPECT_EQ(r.error().message, "truncated reply");

    // The result attribute two bytes long instead of four.
    r = retparam([](const Request &req, int, std::vector<Message> *out) {
        Message m = genl_reply(req, req.cmd);
        const int16_t v = 7;
        m.attr(KCALL_A_RESULT, &v, sizeof(v));
        out->push_back(std::move(m));
    });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, EPROTO);
}

TEST_F(NetlinkReply, ErrorAttributesAreCheckedBeforeTheyAreRead)
{
    // An extended ACK whose message is not NUL-terminated: the errno
    // counts, the text is dropped.
    auto r = retparam([](const Request &req, int, std::vector<Message> *out) {
        Message m = error_reply(req, EINVAL);
        m.header()->nlmsg_flags |= NLM_F_ACK_TLVS;
        m.attr(NLMSGERR_ATTR_MSG, "abcd", 4);
        out->push_back(std::move(m));
    });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, EINVAL);
    EXPECT_EQ(r.error().message, "");

    // Not capped, and the echoed request claims to be longer than the
    // message: nothing past the end is read.
    r = retparam([](const Request &req, int, std::vector<Message> *out) {
        Message m(NLMSG_ERROR, req, NLM_F_ACK_TLVS);
        nlmsgerr e{};
        e.error = -EACCES;
        e.msg.nlmsg_len = 60000;
        m.append(&e, sizeof(e));
        out->push_back(std::move(m));
    });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, EACCES);

    // A well-formed one carries its text.
    r = retparam([](const Request &req, int, std::vector<Message> *out) {
        Message m = error_reply(req, EINVAL);
        m.header()->nlmsg_flags |= NLM_F_ACK_TLVS;
        m.attr(NLMSGERR_ATTR_MSG, "value above 1024", 17);
        out->push_back(std::move(m));
    });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().what(), "Invalid argument: value above 1024");
}

TEST_F(NetlinkReply, AnErrnoOutOfRangeIsRefused)
{
    auto r = retparam([](const Request &req, int, std::vector<Message> *out) {
        Message m = error_reply(req, 0);
        reinterpret_cast<nlmsgerr *>(NLMSG_DATA(m.header()))->error = 5;  // positive
        out->push_back(std::move(m));
    });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, EPROTO);
}

}  // namespace
}  // namespace kcall_test
