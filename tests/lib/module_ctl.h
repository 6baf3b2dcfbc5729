// SPDX-License-Identifier: GPL-2.0-only
// Loading and unloading the module under test by system call, without a
// fork and exec of insmod/rmmod each (slow on the debug kernel under TCG),
// for the tests that unload and reload it.
#pragma once

#include <chrono>
#include <string>

namespace kcall_test {

// /dev/kcall exists: the module is loaded and its device registered.
bool module_loaded();
// delete_module("kcall", O_NONBLOCK): 0 or the errno.
int delete_module_nonblock();
// The errnos of an unload refused because the module is in use.
bool unload_refused_while_busy(int err);
// rmmod tried every millisecond until it succeeds, fails otherwise than
// "busy", or the time is up; 0 or the last errno. *busy counts the tries
// refused as busy.
int delete_module_retrying(std::chrono::milliseconds within, long *busy);
// finit_module() of the file at path: 0 or the errno.
int finit_module_path(const std::string &path);
// finit_module_path(), then up to 2 s for /dev/kcall: 0 or the errno
// (ETIMEDOUT: loaded, but no device node in time).
int load_and_wait(const std::string &path);

}  // namespace kcall_test
