#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Files a guest gained between two snapshots of its overlays.

    leftovers.py BEFORE AFTER LOWER

virtme-ng mounts a writable overlay on /etc, /usr, /var, ...: whatever the
guest creates, changes or deletes is an entry of an upper directory, a
deletion a whiteout. BEFORE and AFTER hold those entries ("KIND PATH", KIND
from find's %y, "c" a whiteout) and LOWER is the host's root, the overlays'
lower layer, mounted read-only. A path of AFTER is new when it did not exist
at BEFORE: not an entry there (or a whiteout), under no whiteout, and not in
the lower layer. Prints the new paths, one a line; exits 1 if there is one.
"""
import os
import sys

# Scratch and bookkeeping that apt, dpkg and the test itself write.
IGNORED = (
    "/tmp/",
    "/var/tmp/",
    "/var/log/",
    "/var/cache/",
    "/var/lib/apt/",
    "/var/lib/dpkg/",
    "/var/lib/man-db/",
    "/run/",
)

# DKMS's own state, not kcall's: the MOK key pair DKMS makes when it first
# signs a module, which it signs every DKMS module with and which a user
# enrolls once (mokutil). Purging kcall must keep it; on a machine that
# never ran DKMS, kcall's install is what makes it.
DKMS_STATE = ("/var/lib/dkms/mok.key", "/var/lib/dkms/mok.pub")


def read(path):
    entries = {}
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            kind, _, name = line.rstrip("\n").partition(" ")
            entries[name] = kind
    return entries


def existed(path, before, lower):
    if path in before:
        return before[path] != "c"
    parent = os.path.dirname(path)
    while parent not in ("/", ""):
        if before.get(parent) == "c":
            return False
        parent = os.path.dirname(parent)
    return os.path.lexists(lower + path)


def main():
    before, after, lower = read(sys.argv[1]), read(sys.argv[2]), sys.argv[3]
    new = sorted(
        p
        for p, kind in after.items()
        if kind != "c"
        and not (p + "/").startswith(IGNORED)
        and p not in DKMS_STATE
        and not existed(p, before, lower)
    )
    for p in new:
        print(p)
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
