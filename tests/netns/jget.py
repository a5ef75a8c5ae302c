#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Read one value out of a JSON document (jq is not installed here).

    jget.py FILE EXPR        print the value at EXPR
    jget.py --len FILE EXPR  print the length of the list/object at EXPR
    jget.py --check FILE     exit 0 if FILE parses as JSON, else print why

FILE may be "-" for stdin. EXPR is a dotted path; a segment may select from a
list by index (ports[0]) or by field (neighbours[address=192.0.2.10]); "." is
the whole document. Scalars print bare (true/false/null as in JSON), objects
and lists as compact JSON. A missing key prints a message to stderr and exits 1.
"""
import json
import sys


def parse_expr(expr):
    """'a.b[k=v].c[0]' -> [('key','a'), ('key','b'), ('sel',('k','v')), ...]"""
    steps = []
    i, n = 0, len(expr)
    if expr in ("", "."):
        return steps
    while i < n:
        if expr[i] == ".":
            i += 1
            continue
        if expr[i] == "[":
            j = expr.index("]", i)
            inner = expr[i + 1:j]
            if "=" in inner:
                k, v = inner.split("=", 1)
                steps.append(("sel", (k, v)))
            else:
                steps.append(("idx", int(inner)))
            i = j + 1
            continue
        j = i
        while j < n and expr[j] not in ".[":
            j += 1
        steps.append(("key", expr[i:j]))
        i = j
    return steps


def as_text(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, (dict, list)):
        return json.dumps(v, separators=(",", ":"))
    return str(v)


def walk(doc, expr):
    cur = doc
    for kind, arg in parse_expr(expr):
        if kind == "key":
            if not isinstance(cur, dict) or arg not in cur:
                raise KeyError("no key %r" % arg)
            cur = cur[arg]
        elif kind == "idx":
            if not isinstance(cur, list) or not -len(cur) <= arg < len(cur):
                raise KeyError("no index %d" % arg)
            cur = cur[arg]
        else:
            k, v = arg
            if not isinstance(cur, list):
                raise KeyError("[%s=%s] applied to a non-list" % (k, v))
            hits = [e for e in cur if isinstance(e, dict) and k in e and as_text(e[k]) == v]
            if not hits:
                raise KeyError("no element with %s=%s" % (k, v))
            cur = hits[0]
    return cur


def load(path):
    if path == "-":
        return json.load(sys.stdin)
    with open(path) as f:
        return json.load(f)


def main(argv):
    if len(argv) == 2 and argv[0] == "--check":
        try:
            load(argv[1])
        except (OSError, ValueError) as e:
            print("jget: %s: not valid JSON: %s" % (argv[1], e), file=sys.stderr)
            return 1
        return 0
    want_len = False
    if argv and argv[0] == "--len":
        want_len = True
        argv = argv[1:]
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        doc = load(argv[0])
    except (OSError, ValueError) as e:
        print("jget: %s: %s" % (argv[0], e), file=sys.stderr)
        return 1
    try:
        v = walk(doc, argv[1])
    except (KeyError, ValueError) as e:
        print("jget: %s: %s: %s" % (argv[0], argv[1], e.args[0] if e.args else e), file=sys.stderr)
        return 1
    print(len(v) if want_len else as_text(v))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
