#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""A RADIUS relay that spoils the answers, for tests/netns/test_radius_*.sh.

    radius_mangle.py --listen ADDR:PORT --server ADDR:PORT [--mode MODE] [--log FILE]

Every datagram received on --listen is passed on unchanged to --server (a real
FreeRADIUS, which sees the relay's address as its client); every answer comes
back to the client that asked, from --listen, after MODE is applied:

    authenticator   one bit of the Response Authenticator flipped (the
                    Message-Authenticator, computed over the Request
                    Authenticator, stays valid): a forged or mis-keyed answer
    strip-ma        the Message-Authenticator attribute removed, the length
                    and Response Authenticator left as the server made them
    none            passed on as it is

FreeRADIUS's own answer to a client with the wrong secret cannot be had: it
drops every Access-Request whose Message-Authenticator does not verify, and
lnsd always sends one. One line per answer goes to --log (or stdout):
"CODE id=N mode=MODE". Prints "ready" once listening. Stops on SIGTERM.
"""
import argparse
import select
import signal
import socket
import sys

CODES = {1: "Access-Request", 2: "Access-Accept", 3: "Access-Reject", 4: "Accounting-Request",
         5: "Accounting-Response", 11: "Access-Challenge"}


def hostport(s):
    h, p = s.rsplit(":", 1)
    return h, int(p)


def mangle(pkt, mode):
    if mode == "authenticator" and len(pkt) >= 20:
        b = bytearray(pkt)
        b[4] ^= 0x01
        return bytes(b)
    if mode == "strip-ma" and len(pkt) >= 20:
        out, i = bytearray(pkt[:20]), 20
        while i + 2 <= len(pkt):
            t, ln = pkt[i], pkt[i + 1]
            if ln < 2:
                break
            if t != 80:
                out += pkt[i:i + ln]
            i += ln
        out[2:4] = len(out).to_bytes(2, "big")
        return bytes(out)
    return pkt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", required=True, type=hostport)
    ap.add_argument("--server", required=True, type=hostport)
    ap.add_argument("--mode", default="authenticator", choices=["authenticator", "strip-ma", "none"])
    ap.add_argument("--log")
    a = ap.parse_args()
    log = open(a.log, "a", buffering=1) if a.log else sys.stdout
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    front.bind(a.listen)
    back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    back.bind((a.server[0], 0))
    pending = {}  # identifier -> the client that asked
    print("ready", file=log, flush=True)
    while True:
        r, _, _ = select.select([front, back], [], [])
        if front in r:
            pkt, src = front.recvfrom(65535)
            if len(pkt) >= 20:
                pending[pkt[1]] = src
                back.sendto(pkt, a.server)
        if back in r:
            pkt, src = back.recvfrom(65535)
            if len(pkt) < 20 or pkt[1] not in pending:
                continue
            out = mangle(pkt, a.mode)
            front.sendto(out, pending[pkt[1]])
            print("%s id=%d mode=%s" % (CODES.get(pkt[0], pkt[0]), pkt[1], a.mode), file=log, flush=True)


if __name__ == "__main__":
    main()
