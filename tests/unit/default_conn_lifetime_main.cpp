// SPDX-License-Identifier: GPL-2.0-only
// The default connection's lifetime at the edges of a thread's and the
// process's life, one scenario per run (default_conn_lifetime_test.cpp runs
// each and checks the exit status):
//
//   idle-worker     a thread that made one call stays idle while main
//                   releases the default connections and calls again; the
//                   idle thread's exit must leave main's connection open
//   key-destructor  an application's pthread key destructor (a key created
//                   after the library's) calls the C API on an exiting thread
//   atexit          an atexit handler calls the C API after the thread's
//                   last call failed with a message
//   slow-open       while one thread's first call waits in open() (a module
//                   autoload), another thread exits, main forks and the
//                   child calls: none of them waits for the opening
//   fork-release    in the child of a fork, kcall_release_default() closes
//                   the connections of the parent's other threads too
//   cancel-open     pthread_cancel() of a thread whose first call waits in
//                   open(): the thread ends cancelled, the process goes on
//
// Against the fake kernel of tests/lib/fake_kernel.c over ioctl, which
// counts the /dev/kcall descriptors open. Exit status 0: every check held;
// 1: one failed (said on stderr); a crash or a sanitizer report fails too.
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <future>
#include <string>
#include <thread>

#include "fake_kernel.h"
#include "kcall/kcall.h"

namespace {

[[noreturn]] void fail(const std::string &what)
{
    std::fprintf(stderr, "default_conn_lifetime: %s\n", what.c_str());
    std::fflush(stderr);
    _exit(1);
}

void expect_retparam(int value, const char *when)
{
    errno = 0;
    const int r = kcall_retparam(value);
    if (r != value)
        fail(std::string(when) + ": kcall_retparam(" + std::to_string(value) + ") returned " +
             std::to_string(r) + " (" + std::strerror(errno) + ": " + kcall_strerror_ext() + ")");
}

void expect_open(unsigned long n, const char *when)
{
    if (fake_kernel_devices_open() != n)
        fail(std::string(when) + ": " + std::to_string(fake_kernel_devices_open()) +
             " default connections open, expected " + std::to_string(n));
}

// A thread that makes one call and then stays idle until leave().
class IdleCaller {
public:
    IdleCaller(int value, const char *who)
        : thread_([this, value, who, f = leave_.get_future()] {
              expect_retparam(value, who);
              called_.set_value();
              f.wait();
          })
    {
        called_.get_future().wait();
    }
    IdleCaller(const IdleCaller &) = delete;
    IdleCaller &operator=(const IdleCaller &) = delete;
    ~IdleCaller()
    {
        if (thread_.joinable())
            leave();
    }

    // Lets the thread end, and waits for it (its key destructors ran).
    void leave()
    {
        leave_.set_value();
        thread_.join();
    }

private:
    std::promise<void> called_;
    std::promise<void> leave_;
    std::thread thread_;
};

// Main's connection must survive an idle thread's exit after a release:
// the thread's stale record of its connection must never reach main's
// new one (which the allocator may place at the old one's address). A use
// after free here is not seen by ASan or valgrind (they do not reuse freed
// memory at once): this checks that main's connection stays open, over
// many rounds.
int idle_worker()
{
    for (int round = 0; round < 500; round++) {
        IdleCaller worker(1, "worker");
        for (int i = 0; i < 3; i++) {
            kcall_release_default();
            expect_retparam(2, "main after release");
        }
        expect_open(1, "worker idle, main called after a release");
        worker.leave();
        expect_open(1, "after the idle worker exited");
        const unsigned long opens = fake_kernel_device_opens();
        expect_retparam(3, "main after the worker exited");
        if (fake_kernel_device_opens() != opens)
            fail("main's connection was replaced when the idle worker exited");
    }
    return 0;
}

pthread_key_t app_key;
int in_destructor = -1;

void app_destructor(void * /*value*/)
{
    in_destructor = kcall_retparam(5);
}

// A key destructor that runs after the library's (its key is newer) calls
// on the exiting thread: it must get a working connection, which is then
// closed like any other of the thread's.
int key_destructor()
{
    expect_retparam(1, "main");  // the library's key exists before ours
    if (pthread_key_create(&app_key, app_destructor) != 0)
        fail("pthread_key_create");
    for (int round = 0; round < 20; round++) {
        in_destructor = -1;
        std::thread([] {
            expect_retparam(2, "thread");
            pthread_setspecific(app_key, &app_key);
        }).join();
        if (in_destructor != 5)
            fail("kcall_retparam(5) in a key destructor returned " + std::to_string(in_destructor));
        expect_open(1, "after the thread exited");
    }
    return 0;
}

void at_exit()
{
    expect_retparam(5, "atexit handler");
    if (*kcall_strerror_ext())
        fail(std::string("after a success in an atexit handler: message \"") +
             kcall_strerror_ext() + "\"");
    if (kcall_batch(nullptr, 0, 2) != -1 || errno != EINVAL)
        fail("kcall_batch(NULL, 0, 2) in an atexit handler did not fail with EINVAL");
    if (std::strcmp(kcall_strerror_ext(), "unknown batch flags") != 0)
        fail(std::string("kcall_strerror_ext() in an atexit handler: \"") + kcall_strerror_ext() +
             "\"");
    expect_open(1, "in an atexit handler");
}

// exit() runs the thread's thread_local destructors before the atexit
// handlers: the handler's calls must find the connection and the message
// buffer intact.
int atexit_call()
{
    if (kcall_batch(nullptr, 0, 2) != -1 || errno != EINVAL)
        fail("kcall_batch(NULL, 0, 2) did not fail with EINVAL");
    if (std::atexit(at_exit) != 0)
        fail("atexit");
    return 0;
}

// Opening a connection may take long (module autoload, a netlink lookup
// up to its timeout): no other thread's exit, no fork and no call of a
// child may wait for it. If one did, this would hang (and be killed).
int slow_open()
{
    expect_retparam(0, "main");
    IdleCaller idle(1, "thread with a connection");
    fake_kernel_hold_opens(1);
    std::thread opening([] { expect_retparam(2, "thread whose open waits"); });
    while (fake_kernel_opens_held() == 0)
        std::this_thread::yield();

    idle.leave();  // its exit closes its connection
    expect_open(1, "after a thread exited while another opens");
    expect_retparam(3, "main beside a waiting open");

    const pid_t child = fork();
    if (child < 0)
        fail("fork");
    if (child == 0) {
        fake_kernel_hold_opens(0);  // the child's own opens need not wait
        expect_retparam(4, "child of a fork during a waiting open");
        kcall_release_default();
        expect_retparam(5, "child after kcall_release_default()");
        _exit(0);
    }
    int status = 0;
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail("the child of a fork during a waiting open failed");

    fake_kernel_hold_opens(0);
    opening.join();
    expect_open(1, "after the waiting open ended and its thread exited");  // main's
    return 0;
}

// The child has none of the parent's other threads, but their default
// connections' descriptors: releasing there closes them with its own.
int fork_release()
{
    IdleCaller idle(1, "thread with a connection");
    expect_retparam(2, "main");
    const pid_t child = fork();
    if (child < 0)
        fail("fork");
    if (child == 0) {
        expect_open(2, "in the child");
        kcall_release_default();
        expect_open(0, "in the child after kcall_release_default()");
        expect_retparam(3, "child after kcall_release_default()");
        expect_open(1, "in the child after its call");
        _exit(0);
    }
    int status = 0;
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail("the child failed");
    expect_open(2, "in the parent after the child");
    return 0;
}

void *cancelled_caller(void * /*arg*/)
{
    kcall_retparam(2);  // waits in open(), a cancellation point
    return nullptr;
}

// A call is a cancellation point where it waits for the kernel (here a
// held open(), as in a module autoload): cancelling the thread there must
// unwind it, not terminate the process.
int cancel_open()
{
    expect_retparam(0, "main");
    fake_kernel_hold_opens(1);
    pthread_t t{};
    if (pthread_create(&t, nullptr, cancelled_caller, nullptr) != 0)
        fail("pthread_create");
    while (fake_kernel_opens_held() == 0)
        std::this_thread::yield();
    pthread_cancel(t);
    void *ret = nullptr;
    if (pthread_join(t, &ret) != 0 || ret != PTHREAD_CANCELED)
        fail("the thread cancelled in open() was not cancelled");
    fake_kernel_hold_opens(0);
    expect_retparam(3, "main after the cancelled thread");
    expect_open(1, "after the cancelled thread ended");  // main's
    return 0;
}

}  // namespace

int main(int argc, char **argv)
{
    setenv("KCALL_TRANSPORT", "ioctl", 1);
    const std::string mode = argc == 2 ? argv[1] : "";
    if (mode == "idle-worker")
        return idle_worker();
    if (mode == "key-destructor")
        return key_destructor();
    if (mode == "atexit")
        return atexit_call();
    if (mode == "slow-open")
        return slow_open();
    if (mode == "fork-release")
        return fork_release();
    if (mode == "cancel-open")
        return cancel_open();
    std::fprintf(stderr,
                 "usage: kcall_default_conn_lifetime "
                 "idle-worker|key-destructor|atexit|slow-open|fork-release|cancel-open\n");
    return 2;
}
