#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check uapi/kcall.yaml against the live kcall family.

Asks the kernel (nlctrl, through the kernel's own YNL library) for the
family's version, commands and per-command policies and compares them with
the YNL spec: same commands with the same ids, and for each command exactly
the request attributes of the spec with the spec's ids and types.

Then, in the same process (Python under TCG starts slowly), sends each
request of ERROR_CASES through the spec and prints the kernel's errno and
extended ACK, one line each, for the test to check.

usage: ynl_spec_check.py KERNEL_TOOLS_DIR SPEC
"""
import sys

import yaml


# Spec types whose kernel policy type has another name.
KERNEL_TYPE = {"string": "nul-string", "nest": "nested"}


def spec_model(path):
    with open(path) as f:
        spec = yaml.safe_load(f)
    attrs, value = {}, 0
    # Requests use the family's own set; nested sets only appear in replies.
    aset = next(s for s in spec["attribute-sets"] if s["name"] == spec["name"])
    for a in aset["attributes"]:
        value = a.get("value", value + 1)
        attrs[a["name"]] = (value, KERNEL_TYPE.get(a["type"], a["type"]))
    ops, value = {}, 0
    for op in spec["operations"]["list"]:
        value = op.get("value", value + 1)
        if "do" not in op:
            continue  # a notification (event), not a request the kernel takes
        req = op["do"]["request"]["attributes"]
        ops[value] = (op["name"], {attrs[n][0]: attrs[n][1] for n in req})
    maxattr = max(v for v, _ in attrs.values())
    return spec["name"], spec.get("version", 1), maxattr, ops


ERROR_CASES = [
    ("retparam", {"value": 1025}),
    ("retparam", {"value": -1}),
    ("retpid", {"which": 2}),
    ("retparam", {}),
    ("taskcount", {"flags": 4}),
    ("message", {"text": "x" * 300}),
]


def ynl_lib(tools):
    sys.path.insert(0, f"{tools}/tools/net/ynl/pyynl")
    import lib  # noqa: E402  (the kernel's YNL library)
    return lib


def error_cases(tools, spec_path):
    lib = ynl_lib(tools)
    fam = lib.YnlFamily(spec_path, f"{tools}/Documentation/netlink/genetlink-legacy.yaml")
    for op, attrs in ERROR_CASES:
        try:
            reply = fam.do(op, attrs)
            print(f"error-case {op} {attrs}: unexpected success {reply}")
        except lib.NlError as e:
            extack = e.nl_msg.extack or {}
            msg = extack.get("msg", "")
            print(f"error-case {op} {attrs}: errno {-e.nl_msg.error} extack '{msg}'")


def live_model(tools, name):
    lib = ynl_lib(tools)
    nl = lib.YnlFamily(f"{tools}/Documentation/netlink/specs/nlctrl.yaml",
                   f"{tools}/Documentation/netlink/genetlink-legacy.yaml")
    fam = nl.do("getfamily", {"family-name": name})
    # indexed-array: a list of {index: {"id": cmd, "flags": ...}}
    op_ids = sorted(op["id"] for item in fam["ops"] for op in item.values())
    op_policy, policies = {}, {}
    # YNL flattens nest-type-value attributes: each message carries one
    # {"op-id", "do"} or one {"policy-id", "attr-id", "type", ...}.
    for msg in nl.dump("getpolicy", {"family-name": name}):
        if "op-policy" in msg:
            pol = msg["op-policy"]
            op_policy[pol["op-id"]] = pol.get("do")
        if "policy" in msg:
            pol = msg["policy"]
            policies.setdefault(pol["policy-id"], {})[pol["attr-id"]] = pol["type"]
    ops = {cmd: policies.get(op_policy.get(cmd), {}) for cmd in op_ids}
    return fam["version"], fam["maxattr"], ops


def main():
    tools, spec_path = sys.argv[1], sys.argv[2]
    name, version, maxattr, spec_ops = spec_model(spec_path)
    live_version, live_maxattr, live_ops = live_model(tools, name)
    errors = []
    if live_version != version:
        errors.append(f"version: spec {version}, kernel {live_version}")
    if live_maxattr != maxattr:
        errors.append(f"maxattr: spec {maxattr}, kernel {live_maxattr}")
    if sorted(live_ops) != sorted(spec_ops):
        errors.append(f"commands: spec {sorted(spec_ops)}, kernel {sorted(live_ops)}")
    for cmd, (op, attrs) in sorted(spec_ops.items()):
        live = live_ops.get(cmd)
        if live is not None and live != attrs:
            errors.append(f"{op} (cmd {cmd}) request attributes: spec {attrs}, kernel {live}")
        print(f"{op:<11} cmd {cmd}: request attributes {attrs}")
    for e in errors:
        print("MISMATCH", e)
    print(f"{name}: spec and kernel {'differ' if errors else 'agree'}")
    error_cases(tools, spec_path)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
