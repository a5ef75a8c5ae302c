#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Count UDP datagrams per source address: the far end of lwip-lac's --udp-to.

    udp_sink.py PORT OUT.json

Run inside a namespace (ip netns exec NS udp_sink.py ...). Binds 0.0.0.0:PORT
(an open port, so the kernel answers nothing: the stream stays one-way) and
keeps OUT.json up to date, rewritten whole (write, then rename) at most every
50 ms while datagrams come in:

    {"ready": true, "sources": [{"address": "100.64.0.3", "datagrams": 40,
     "octets": 2560, "sizes": [64]}, ...]}

"octets" are UDP payload octets; "sizes" the distinct payload sizes seen.
"ready" is written once the socket is bound, before anything arrives. Stops on
SIGTERM or SIGINT after writing the file a last time.
"""
import json
import os
import select
import signal
import socket
import sys

RCVBUF = 4 << 20  # the whole test's worth of datagrams, should we be slow to read


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    counts = {}
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RCVBUF)
    sock.bind(("0.0.0.0", port))
    sock.setblocking(False)

    def dump():
        doc = {"ready": True, "sources": [
            {"address": a, "datagrams": c[0], "octets": c[1], "sizes": sorted(c[2])}
            for a, c in sorted(counts.items())]}
        tmp = out + ".tmp"
        with open(tmp, "w") as f:
            json.dump(doc, f, sort_keys=True)
        os.replace(tmp, out)

    dump()
    dirty = False
    while not stop:
        try:
            r, _, _ = select.select([sock], [], [], 0.05)
        except InterruptedError:
            continue
        if not r:
            if dirty:
                dump()
                dirty = False
            continue
        while True:
            try:
                data, (addr, _) = sock.recvfrom(65535)
            except BlockingIOError:
                break
            c = counts.setdefault(addr, [0, 0, set()])
            c[0] += 1
            c[1] += len(data)
            c[2].add(len(data))
            dirty = True
    dump()


if __name__ == "__main__":
    main()
