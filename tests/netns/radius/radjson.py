#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
#
# FreeRADIUS text to JSON lines, for tests/netns/radius.sh.
#
#   radjson.py detail FILE   one object per record of a detail file
#   radjson.py reply         radclient -x (or radtest) output on stdin: one
#                            object for the last packet received, or
#                            {"code": null, ...} when none came
#
# Attributes become keys. A value that is a decimal integer becomes a JSON
# number; a quoted string is unquoted (FreeRADIUS's escapes undone); anything
# else (enumerated names such as "Start", addresses, octets as 0x...) stays
# the text FreeRADIUS printed. An attribute that appears more than once
# becomes a list of its values, in order.
import json
import re
import sys

ATTR = re.compile(r"^\s+([A-Za-z0-9][-A-Za-z0-9_.:]*)\s+(=|:=|\+=|==)\s?(.*?)\s*$")
RECEIVED = re.compile(
    r"^Received (\S+) Id (\d+) from (\S+) to (\S+) length (\d+)")
SENT = re.compile(r"^Sent (\S+) Id (\d+) from (\S+) to (\S+) length (\d+)")
ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\", "'": "'", "`": "`"}


def unquote(s):
    """FreeRADIUS's quoted string printing (fr_prints) undone."""
    out = bytearray()
    i = 1
    end = len(s) - 1
    while i < end:
        c = s[i]
        if c == "\\" and i + 1 < end:
            n = s[i + 1]
            if n in ESCAPES:
                out += ESCAPES[n].encode()
                i += 2
                continue
            if re.match(r"[0-7]{3}", s[i + 1:i + 4]):
                out.append(int(s[i + 1:i + 4], 8))
                i += 4
                continue
        out += c.encode()
        i += 1
    return out.decode("utf-8", "backslashreplace")


def value(s):
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "\"'":
        return unquote(s)
    if re.fullmatch(r"-?[0-9]+", s):
        return int(s)
    return s


def add(obj, name, val):
    if name in obj:
        if not isinstance(obj[name], list):
            obj[name] = [obj[name]]
        obj[name].append(val)
    else:
        obj[name] = val


def detail(path):
    """A detail file: a header line (the time, "%t"), then one attribute per
    line indented by a tab, then an empty line."""
    rec = None
    try:
        f = open(path, encoding="utf-8", errors="backslashreplace")
    except FileNotFoundError:
        return
    with f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if rec is not None:
                    print(json.dumps(rec, sort_keys=False))
                rec = None
                continue
            m = ATTR.match(line)
            if m and rec is not None:
                add(rec, m.group(1), value(m.group(3)))
            elif not line[0].isspace():
                if rec is not None:
                    print(json.dumps(rec, sort_keys=False))
                rec = {"_header": line}
    if rec is not None:
        print(json.dumps(rec, sort_keys=False))


def reply():
    """radclient -x: "Sent CODE Id N from A to B length L", the attributes sent,
    then "Received CODE Id N from ... length L" and the attributes received
    (or "No reply from server ..."). Only the last packet received counts."""
    sent = None
    got = None
    cur = None
    errors = []
    for line in sys.stdin:
        line = line.rstrip("\n")
        m = RECEIVED.match(line)
        if m:
            got = {"code": m.group(1), "id": int(m.group(2)), "from": m.group(3),
                   "length": int(m.group(5)), "attrs": {}}
            cur = got
            continue
        m = SENT.match(line)
        if m:
            sent = m.group(1)
            cur = None
            continue
        m = ATTR.match(line)
        if m and cur is not None:
            add(cur["attrs"], m.group(1), value(m.group(3)))
            continue
        if line.strip() and not line[0].isspace():
            cur = None
            if "No reply" in line or "rror" in line or "xpected" in line or "nvalid" in line:
                errors.append(line.strip())
    if got is None:
        got = {"code": None, "attrs": {}}
    got["sent"] = sent
    if errors:
        got["errors"] = errors
    print(json.dumps(got))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "detail":
        detail(sys.argv[2])
    elif len(sys.argv) == 2 and sys.argv[1] == "reply":
        reply()
    else:
        sys.exit("usage: radjson.py detail FILE | radjson.py reply <radclient-output")


if __name__ == "__main__":
    main()
