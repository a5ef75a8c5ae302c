#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
#
# One PAP Access-Request built by hand, and the checks a RADIUS client makes
# on the answer, done independently of FreeRADIUS's own tools:
#
#   rawauth.py SERVER PORT SECRET USER PASSWORD [--ma] [--timeout S]
#
# --ma: sign the request with a Message-Authenticator (RFC 3579 3.2).
# Prints one JSON line: {"code": 2, "resp_auth_ok": true,
# "ma": "absent" | "valid" | "invalid", "ma_first": bool, "attrs": [[type,
# "hex"], ...]}, or {"code": null} when nothing came back in time.
import argparse
import hashlib
import hmac
import json
import os
import socket
import struct


def pap(password, secret, authenticator):
    p = password.encode()
    p += b"\0" * (-len(p) % 16 or (16 if not p else 0))
    out, last = b"", authenticator
    for i in range(0, len(p), 16):
        b = hashlib.md5(secret + last).digest()
        last = bytes(x ^ y for x, y in zip(p[i:i + 16], b))
        out += last
    return out


def attr(t, v):
    return struct.pack("!BB", t, len(v) + 2) + v


def main():
    ap = argparse.ArgumentParser(description="one PAP Access-Request, the answer checked")
    ap.add_argument("server")
    ap.add_argument("port", type=int)
    ap.add_argument("secret")
    ap.add_argument("user")
    ap.add_argument("password")
    ap.add_argument("--ma", action="store_true", help="sign with a Message-Authenticator")
    ap.add_argument("--timeout", type=float, default=2.0)
    a = ap.parse_args()
    server, port, secret, user, password = a.server, a.port, a.secret.encode(), a.user, a.password
    with_ma, timeout = a.ma, a.timeout
    ident = os.urandom(1)[0]
    req_auth = os.urandom(16)
    attrs = attr(1, user.encode()) + attr(2, pap(password, secret, req_auth))
    attrs += attr(4, socket.inet_aton("127.0.0.1")) + attr(5, struct.pack("!I", 0))
    if with_ma:
        attrs = attr(80, b"\0" * 16) + attrs
    pkt = struct.pack("!BBH", 1, ident, 20 + len(attrs)) + req_auth + attrs
    if with_ma:
        mac = hmac.new(secret, pkt, hashlib.md5).digest()
        pkt = pkt[:22] + mac + pkt[38:]
    fam = socket.AF_INET6 if ":" in server else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    s.sendto(pkt, (server, port))
    try:
        while True:
            rep, _ = s.recvfrom(4096)
            if len(rep) >= 20 and rep[1] == ident:
                break
    except (socket.timeout, ConnectionRefusedError):
        print(json.dumps({"code": None}))
        return
    code, _, length = struct.unpack("!BBH", rep[:4])
    rep = rep[:length]
    resp_auth_ok = hashlib.md5(rep[:4] + req_auth + rep[20:] + secret).digest() == rep[4:20]
    out = {"code": code, "resp_auth_ok": resp_auth_ok, "ma": "absent", "ma_first": False, "attrs": []}
    i = 20
    while i + 2 <= len(rep):
        t, ln = rep[i], rep[i + 1]
        if ln < 2:
            break
        v = rep[i + 2:i + ln]
        out["attrs"].append([t, v.hex()])
        if t == 80:
            out["ma_first"] = i == 20
            zeroed = rep[:4] + req_auth + rep[20:i + 2] + b"\0" * 16 + rep[i + ln:]
            good = hmac.new(secret, zeroed, hashlib.md5).digest()
            out["ma"] = "valid" if hmac.compare_digest(good, v) else "invalid"
        i += ln
    print(json.dumps(out))


if __name__ == "__main__":
    main()
