#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""kcall's ioctl numbers (uapi/kcall.h) against the kernel's registry
(ioctl-number.rst), for tools/check/check-ioctl-numbers.sh:
  check-ioctl-numbers.py IOCTL_NUMBER_RST KCALL_H
Exits 1 when an entry for kcall's type lists a number its commands use."""
import re
import sys

rst, header = sys.argv[1], sys.argv[2]
h = open(header).read()
ioc_type = int(re.search(r'#define KCALL_IOCTL_TYPE\s+(0x[0-9A-Fa-f]+)', h).group(1), 16)
m = re.search(r'#define KCALL_IOC_NR_BASE_ABI2\s+(0x[0-9A-Fa-f]+)', h)
old_base = int(m.group(1), 16) if m else None
enum = re.search(r'enum kcall_ioctl_nr \{(.*?)\};', h, re.S).group(1)
base = int(re.search(r'KCALL_IOC_NR_BASE = (0x[0-9A-Fa-f]+)', enum).group(1), 16)
count = len(re.findall(r'KCALL_IOC_NR_(?!BASE)\w+', enum))
ours = set(range(base, base + count))
old = set(range(old_base, old_base + count)) if old_base is not None else set()
bad = 0
for line in open(rst, encoding='utf-8', errors='replace'):
    f = line.split()
    if len(f) < 2:
        continue
    try:
        code = int(f[0], 16) if f[0].lower().startswith('0x') else None
    except ValueError:
        continue
    if code != ioc_type:
        continue
    if f[1].lower() == 'all':
        nrs = set(range(256))
    else:
        m = re.fullmatch(r'([0-9A-Fa-f]{2})(?:-([0-9A-Fa-f]{2}))?', f[1])
        if not m:
            continue
        lo = int(m.group(1), 16)
        nrs = set(range(lo, int(m.group(2) or m.group(1), 16) + 1))
    entry = ' '.join(f)
    if nrs & ours:
        print(f'check-ioctl-numbers: FAIL 0x{ioc_type:02X} {min(ours):#04x}-{max(ours):#04x} '
              f'overlaps "{entry}"')
        bad = 1
    elif nrs & old:
        print(f'check-ioctl-numbers: note: ABI 2\'s deprecated range overlaps "{entry}"')
print(f'check-ioctl-numbers: 0x{ioc_type:02X} {min(ours):#04x}-{max(ours):#04x} '
      f'({count} commands): {"overlap" if bad else "no entry lists them"}')
sys.exit(bad)
