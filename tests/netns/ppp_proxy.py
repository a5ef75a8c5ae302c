#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""A LAC that proxies LCP and authentication (RFC 2661 section 4.4.5), for
tests/netns/test_ppp_proxy.sh.

It plays both the LAC and the PPP client behind it over one UDP socket (the
kernel stack of the namespace it runs in): it opens a tunnel (answering the
LNS's Challenge with the secret), places an incoming call (ICRQ), and sends an
ICCN carrying the proxy AVPs given on the command line, as if the LAC had
negotiated LCP with the client and authenticated it already. Then it is the
client: it records every PPP frame the LNS sends, answers LCP Echo-Request,
Terminate-Request and IPv6CP (with a Protocol-Reject), optionally completes
IPCP (--ipcp: Ack the LNS's request, ask for 0.0.0.0, take the Nak'ed
address) and answers ICMP echo sent to that address, and acknowledges every
control message. The L2TP framing and AVP helpers are tests/netns/l2tp_peer.py's
(written from RFC 2661 alone, independently of lnsd).

    ppp_proxy.py --bind IP --lns IP --secret S --out FILE
        [--lcp-initial HEX] [--lcp-tx HEX] [--lcp-rx HEX]   values of AVPs 26, 27, 28:
                                      LCP Configure-Request options, no LCP header
        [--auth-type N] [--auth-name U] [--auth-id N]        AVPs 29, 30, 32
        [--auth-chal HEX] [--auth-resp HEX | --password P]   AVPs 31, 33: with --password
                                      PAP's response is P, CHAP's MD5(id || P || challenge)
        [--ipcp] [--until ipcp-up|auth|lcp-confreq|cdn] [--timeout S] [--linger S]
        [--wait-echo S] [--release FILE --hold S]

--until: stop waiting once the IPCP is open both ways, an authentication verdict
arrived (PAP Ack/Nak, CHAP Success/Failure), the LNS sent an LCP
Configure-Request, or it sent a CDN; --timeout bounds the wait. After that it
listens --linger seconds more, and with --wait-echo until the LNS's first LCP
Echo-Request (at most S seconds). With --release it writes FILE's JSON with
"phase": "held" and keeps the call up (answering echo, pings) until the file
--release exists or --hold seconds passed. Then it sends a StopCCN (unless the
LNS closed the tunnel) and writes the final JSON ("phase": "done").

The JSON: "tunnel"/"session" IDs both ways, "reached" (the --until condition,
or null), "address" (IPCP), "cdn" (the LNS's CDN: result, error, message,
ppp_disconnect hex), "events" (every control message and PPP frame, in order,
each with t_ms since the ICCN, dir rx/tx; PPP frames with proto, code, id and
their options or data decoded).
"""
import argparse
import hashlib
import json
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from l2tp_peer import (AVP_CHAL_RESP, AVP_CHALLENGE, AVP_MSG_TYPE, AVP_TUNNEL_ID, L2TP_PORT,  # noqa: E402
                       MSG_NAMES, avp, avp_of, build, chal_resp, decode, parse_header)

AVP_PROTO_VERSION, AVP_FRAMING_CAP, AVP_HOST_NAME, AVP_RX_WINDOW = 2, 3, 7, 10
AVP_SESSION_ID, AVP_CALL_SERIAL, AVP_FRAMING_TYPE, AVP_TX_SPEED = 14, 15, 19, 24
AVP_LCP_INITIAL, AVP_LCP_LAST_TX, AVP_LCP_LAST_RX = 26, 27, 28
AVP_AUTH_TYPE, AVP_AUTH_NAME, AVP_AUTH_CHAL, AVP_AUTH_ID, AVP_AUTH_RESP = 29, 30, 31, 32, 33
MSG_SCCRQ, MSG_SCCRP, MSG_SCCCN, MSG_STOPCCN, MSG_ICRQ, MSG_ICRP, MSG_ICCN, MSG_CDN = \
    1, 2, 3, 4, 10, 11, 12, 14

PPP_IP, PPP_LCP, PPP_PAP, PPP_CHAP, PPP_IPCP, PPP_IPV6CP = 0x0021, 0xc021, 0xc023, 0xc223, 0x8021, 0x8057
PROTO_NAMES = {PPP_IP: "ip", PPP_LCP: "lcp", PPP_PAP: "pap", PPP_CHAP: "chap", PPP_IPCP: "ipcp",
               PPP_IPV6CP: "ipv6cp", 0x0057: "ipv6"}
CP_CODES = {1: "Configure-Request", 2: "Configure-Ack", 3: "Configure-Nak", 4: "Configure-Reject",
            5: "Terminate-Request", 6: "Terminate-Ack", 7: "Code-Reject", 8: "Protocol-Reject",
            9: "Echo-Request", 10: "Echo-Reply", 11: "Discard-Request"}
PAP_CODES = {1: "Authenticate-Request", 2: "Authenticate-Ack", 3: "Authenticate-Nak"}
CHAP_CODES = {1: "Challenge", 2: "Response", 3: "Success", 4: "Failure"}


def options(data):
    out, i = [], 0
    while i + 2 <= len(data) and data[i + 1] >= 2:
        out.append({"type": data[i], "hex": data[i + 2:i + data[i + 1]].hex()})
        i += data[i + 1]
    return out


def magic_of(opts_hex):
    """The Magic-Number in LCP options (hex), 0 if none."""
    d, i = bytes.fromhex(opts_hex or ""), 0
    while i + 2 <= len(d) and d[i + 1] >= 2:
        if d[i] == 5 and d[i + 1] == 6:
            return struct.unpack(">I", d[i + 2:i + 6])[0]
        i += d[i + 1]
    return 0


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


class Lac:
    def __init__(self, a):
        self.a = a
        self.secret = a.secret.encode() if a.secret else None
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.s.bind((a.bind, 0))
        self.dst = (a.lns, L2TP_PORT)
        self.ns = 0          # our next Ns
        self.nr = 0          # the next Ns we expect from the LNS
        self.unacked = []    # [ns, message, last sent]
        self.our_tid = 1 + int.from_bytes(os.urandom(2), "big") % 65535
        self.our_sid = 1 + int.from_bytes(os.urandom(2), "big") % 65535
        self.lns_tid = 0
        self.lns_sid = 0
        self.t0 = time.monotonic()
        self.events = []
        self.res = {"bind": a.bind, "lns": a.lns, "reached": None, "address": None, "cdn": None,
                    "stopccn": None, "phase": "running", "events": self.events}
        self.magic = magic_of(a.lcp_rx) or 0x11223344  # the client's, as the LAC proxied it
        self.lcp_id = 0x40
        self.ipcp_id = 0x80
        self.ipcp_sent = False
        self.ipcp_ours_acked = False    # our request acknowledged by the LNS
        self.ipcp_theirs_acked = False  # the LNS's request acknowledged by us
        self.addr = b"\0\0\0\0"
        self.call_closed = False        # the LNS sent a CDN
        self.tunnel_closed = False      # the LNS sent a StopCCN
        self.verdict = None

    # -- L2TP ---------------------------------------------------------------
    def t_ms(self):
        return int((time.monotonic() - self.t0) * 1000)

    def send_ctrl(self, msg_type, avps, tid=None, sid=0):
        tid = self.lns_tid if tid is None else tid
        m = build(tid, sid, self.ns, self.nr, [avp(AVP_MSG_TYPE, struct.pack(">H", msg_type))] + avps)
        self.unacked.append([self.ns, m, time.monotonic()])
        self.ns = (self.ns + 1) & 0xffff
        self.s.sendto(m, self.dst)
        self.events.append({"t_ms": self.t_ms(), "dir": "tx", "kind": "ctrl",
                            "msg": MSG_NAMES.get(msg_type, str(msg_type))})

    def send_zlb(self):
        self.s.sendto(build(self.lns_tid, 0, self.ns, self.nr, []), self.dst)

    def retransmit(self):
        now = time.monotonic()
        for u in self.unacked:
            if now - u[2] >= 1.0:
                m = bytearray(u[1])
                struct.pack_into(">H", m, 10, self.nr)
                self.s.sendto(bytes(m), self.dst)
                u[2] = now

    def send_ppp(self, proto, code, ident, data, what=None):
        body = struct.pack(">BBH", code, ident, 4 + len(data)) + data
        self.send_data(proto, body, what)

    def send_data(self, proto, body, what=None):
        hdr = struct.pack(">HHH", 0x0002, self.lns_tid, self.lns_sid)
        self.s.sendto(hdr + b"\xff\x03" + struct.pack(">H", proto) + body, self.dst)
        ev = {"t_ms": self.t_ms(), "dir": "tx", "kind": "ppp", "proto": PROTO_NAMES.get(proto, "%04x" % proto)}
        if proto != PPP_IP:
            ev.update(code=body[0], id=body[1])
        if what:
            ev["what"] = what
        self.events.append(ev)

    def recv(self, until):
        """One datagram (handled) or None at UNTIL."""
        self.retransmit()
        left = min(until - time.monotonic(), 0.2)
        if left <= 0:
            return None
        self.s.settimeout(left)
        try:
            d, src = self.s.recvfrom(4096)
        except socket.timeout:
            return None
        if src[0] != self.a.lns:
            return None
        h = parse_header(d)
        if "error" in h:
            self.events.append({"t_ms": self.t_ms(), "dir": "rx", "kind": "bad", "hex": d.hex()})
            return None
        if h["t"]:
            self.on_ctrl(d, h)
        else:
            self.on_data(d[h["hdr_len"]:])
        return True

    def on_ctrl(self, d, h):
        r = decode(d, self.secret)
        nr = h.get("nr", 0)
        self.unacked = [u for u in self.unacked if ((nr - u[0]) & 0xffff) > 0x7fff or (nr - u[0]) & 0xffff == 0]
        if r.get("zlb"):
            return
        ns = h.get("ns", 0)
        if ns != self.nr:
            self.send_zlb()  # a duplicate: acknowledge again
            return
        self.nr = (self.nr + 1) & 0xffff
        ev = {"t_ms": self.t_ms(), "dir": "rx", "kind": "ctrl", "msg": r.get("msg"), "tid": h["tid"],
              "sid": h["sid"]}
        self.events.append(ev)
        mt = r.get("msg_type")
        res = avp_of(r, 1)
        if res is not None and "result" in res:
            ev["result"] = {k: res.get(k) for k in ("result", "error", "message")}
        if mt == MSG_SCCRP:
            self.lns_tid = avp_of(r, AVP_TUNNEL_ID)["u16"]
            ch = avp_of(r, AVP_CHALLENGE)
            avps = []
            if ch is not None and self.secret:
                avps.append(avp(AVP_CHAL_RESP, chal_resp(MSG_SCCCN, self.secret, bytes.fromhex(ch["hex"]))))
            self.send_ctrl(MSG_SCCCN, avps)
        elif mt == MSG_ICRP:
            self.lns_sid = avp_of(r, AVP_SESSION_ID)["u16"]
            self.send_iccn()
        elif mt == MSG_CDN:
            pdc = avp_of(r, 46)
            self.res["cdn"] = dict(ev.get("result") or {}, ppp_disconnect=pdc["hex"] if pdc else None)
            self.call_closed = True
            self.send_zlb()
        elif mt == MSG_STOPCCN:
            self.res["stopccn"] = ev.get("result")
            self.call_closed = self.tunnel_closed = True
            self.send_zlb()
        else:
            self.send_zlb()

    # -- the call -----------------------------------------------------------
    def open(self):
        a = self.a
        self.send_ctrl(MSG_SCCRQ, [avp(AVP_PROTO_VERSION, b"\x01\x00"),
                                   avp(AVP_HOST_NAME, a.host_name.encode()),
                                   avp(AVP_FRAMING_CAP, struct.pack(">I", 3)),
                                   avp(AVP_TUNNEL_ID, struct.pack(">H", self.our_tid)),
                                   avp(AVP_RX_WINDOW, struct.pack(">H", 8))], tid=0)
        deadline = time.monotonic() + 5
        while self.lns_tid == 0 and time.monotonic() < deadline and not self.tunnel_closed:
            self.recv(deadline)
        if self.lns_tid == 0:
            raise SystemExit("no SCCRP from %s" % a.lns)
        self.send_ctrl(MSG_ICRQ, [avp(AVP_SESSION_ID, struct.pack(">H", self.our_sid)),
                                  avp(AVP_CALL_SERIAL, struct.pack(">I", 4242))])
        while self.lns_sid == 0 and time.monotonic() < deadline and not self.call_closed:
            self.recv(deadline)
        if self.lns_sid == 0:
            raise SystemExit("no ICRP from %s" % a.lns)
        self.res["tunnel"] = {"ours": self.our_tid, "lns": self.lns_tid}
        self.res["session"] = {"ours": self.our_sid, "lns": self.lns_sid}

    def send_iccn(self):
        a = self.a
        avps = [avp(AVP_TX_SPEED, struct.pack(">I", 10000000)), avp(AVP_FRAMING_TYPE, struct.pack(">I", 1))]
        # RFC 2661 section 4.4.5: the M bit of these AVPs is 0.
        if a.lcp_initial is not None:
            avps.append(avp(AVP_LCP_INITIAL, bytes.fromhex(a.lcp_initial), m=False))
        if a.lcp_tx is not None:
            avps.append(avp(AVP_LCP_LAST_TX, bytes.fromhex(a.lcp_tx), m=False))
        if a.lcp_rx is not None:
            avps.append(avp(AVP_LCP_LAST_RX, bytes.fromhex(a.lcp_rx), m=False))
        if a.auth_type is not None:
            avps.append(avp(AVP_AUTH_TYPE, struct.pack(">H", a.auth_type), m=False))
        if a.auth_name is not None:
            avps.append(avp(AVP_AUTH_NAME, a.auth_name.encode(), m=False))
        chal = bytes.fromhex(a.auth_chal) if a.auth_chal else None
        if chal is not None:
            avps.append(avp(AVP_AUTH_CHAL, chal, m=False))
        if a.auth_id is not None:
            avps.append(avp(AVP_AUTH_ID, struct.pack(">H", a.auth_id), m=False))
        resp = None
        if a.auth_resp is not None:
            resp = bytes.fromhex(a.auth_resp)
        elif a.password is not None:
            if a.auth_type == 2:
                resp = hashlib.md5(bytes([a.auth_id & 0xff]) + a.password.encode() + (chal or b"")).digest()
            else:
                resp = a.password.encode()
        if resp is not None:
            avps.append(avp(AVP_AUTH_RESP, resp, m=False))
        self.t0 = time.monotonic()
        self.send_ctrl(MSG_ICCN, avps, sid=self.lns_sid)
        self.res["iccn_avps"] = [x.hex() for x in avps]

    def on_data(self, f):
        if f[:2] == b"\xff\x03":
            f = f[2:]
        if len(f) >= 1 and f[0] & 1:
            proto, f = f[0], f[1:]
        elif len(f) >= 2:
            proto, f = struct.unpack(">H", f[:2])[0], f[2:]
        else:
            return
        ev = {"t_ms": self.t_ms(), "dir": "rx", "kind": "ppp", "proto": PROTO_NAMES.get(proto, "%04x" % proto)}
        self.events.append(ev)
        if proto == PPP_IP:
            return self.on_ip(f, ev)
        if len(f) < 4:
            ev["short"] = f.hex()
            return
        code, ident, ln = struct.unpack(">BBH", f[:4])
        data = f[4:ln]
        ev.update(code=code, id=ident)
        if proto in (PPP_LCP, PPP_IPCP, PPP_IPV6CP):
            ev["name"] = CP_CODES.get(code, str(code))
            if code in (1, 2, 3, 4):
                ev["options"] = options(data)
            else:
                ev["data"] = data.hex()
        elif proto == PPP_PAP:
            ev["name"] = PAP_CODES.get(code, str(code))
            if code in (2, 3) and data:
                ev["message"] = data[1:1 + data[0]].decode("latin-1")
        elif proto == PPP_CHAP:
            ev["name"] = CHAP_CODES.get(code, str(code))
            ev["data"] = data.hex()
            if code in (3, 4):
                ev["message"] = data.decode("latin-1")
        if proto == PPP_LCP:
            if code == 9:  # Echo-Request: Echo-Reply with our magic, the data echoed
                self.send_ppp(PPP_LCP, 10, ident, struct.pack(">I", self.magic) + data[4:], "echo reply")
            elif code == 5:
                self.send_ppp(PPP_LCP, 6, ident, b"", "terminate ack")
        elif proto in (PPP_PAP, PPP_CHAP) and code in ((2, 3) if proto == PPP_PAP else (3, 4)):
            self.verdict = ev
            if code == (2 if proto == PPP_PAP else 3) and self.a.ipcp and not self.ipcp_sent:
                self.ipcp_request()
        elif proto == PPP_IPCP and self.a.ipcp:
            if code == 1:
                self.send_ppp(PPP_IPCP, 2, ident, data, "ack the LNS's request")
                self.ipcp_theirs_acked = True
                if not self.ipcp_sent:
                    self.ipcp_request()
            elif code == 3:
                for o in ev["options"]:
                    if o["type"] == 3:
                        self.addr = bytes.fromhex(o["hex"])
                self.ipcp_request()
            elif code == 2:
                self.ipcp_ours_acked = True
                self.res["address"] = socket.inet_ntoa(self.addr)
        elif proto == PPP_IPV6CP and code == 1:
            # not negotiated here: Protocol-Reject (RFC 1661 section 5.7)
            self.lcp_id = (self.lcp_id + 1) & 0xff
            self.send_ppp(PPP_LCP, 8, self.lcp_id, struct.pack(">H", proto) + f[:ln], "reject IPv6CP")

    def ipcp_request(self):
        self.ipcp_sent = True
        self.ipcp_id = (self.ipcp_id + 1) & 0xff
        self.send_ppp(PPP_IPCP, 1, self.ipcp_id, b"\x03\x06" + self.addr, "ask for " + socket.inet_ntoa(self.addr))

    def on_ip(self, f, ev):
        """Answer an ICMP echo request to our address."""
        if len(f) < 28 or f[0] >> 4 != 4:
            return
        ihl = (f[0] & 15) * 4
        ev.update(src=socket.inet_ntoa(f[12:16]), dst=socket.inet_ntoa(f[16:20]), ip_proto=f[9])
        if f[9] != 1 or f[ihl] != 8 or f[16:20] != self.addr:
            return
        icmp = bytearray(f[ihl:struct.unpack(">H", f[2:4])[0]])
        icmp[0] = 0
        struct.pack_into(">H", icmp, 2, 0)
        struct.pack_into(">H", icmp, 2, csum(bytes(icmp)))
        ip = bytearray(f[:ihl])
        ip[8] = 64
        ip[12:16], ip[16:20] = f[16:20], f[12:16]
        struct.pack_into(">H", ip, 2, ihl + len(icmp))
        struct.pack_into(">H", ip, 10, 0)
        struct.pack_into(">H", ip, 10, csum(bytes(ip)))
        self.send_data(PPP_IP, bytes(ip) + bytes(icmp), "echo reply to " + ev["src"])
        self.res["pings_answered"] = self.res.get("pings_answered", 0) + 1

    def reached(self):
        u = self.a.until
        if u == "ipcp-up":
            return self.ipcp_ours_acked and self.ipcp_theirs_acked
        if u == "auth":
            return self.verdict is not None
        if u == "lcp-confreq":
            return any(e.get("proto") == "lcp" and e["dir"] == "rx" and e.get("code") == 1 for e in self.events)
        if u == "cdn":
            return self.res["cdn"] is not None
        return False

    def write(self, phase):
        self.res["phase"] = phase
        tmp = self.a.out + ".tmp"
        with open(tmp, "w") as fp:
            json.dump(self.res, fp)
        os.replace(tmp, self.a.out)

    def serve(self, secs, stop=None):
        end = time.monotonic() + secs
        while time.monotonic() < end:
            if stop and stop():
                return True
            self.recv(end)
        return bool(stop and stop())

    def run(self):
        a = self.a
        self.open()
        self.serve(a.timeout, lambda: self.reached() or self.tunnel_closed or
                   (self.call_closed and a.until != "cdn"))
        self.res["reached"] = a.until if self.reached() else None
        self.serve(a.linger, lambda: self.tunnel_closed)
        if a.wait_echo:
            self.serve(a.wait_echo, lambda: self.tunnel_closed or self.call_closed or any(
                e.get("proto") == "lcp" and e["dir"] == "rx" and e.get("code") == 9 for e in self.events))
        if a.release:
            self.write("held")
            self.serve(a.hold, lambda: os.path.exists(a.release) or self.call_closed)
        if not self.tunnel_closed:
            self.send_ctrl(MSG_STOPCCN, [avp(1, struct.pack(">HH", 1, 0) + b"test done"),
                                         avp(AVP_TUNNEL_ID, struct.pack(">H", self.our_tid))])
            self.serve(3, lambda: not self.unacked)
        self.write("done")
        return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--bind", required=True)
    p.add_argument("--lns", required=True)
    p.add_argument("--secret")
    p.add_argument("--host-name", default="proxy-lac")
    p.add_argument("--out", required=True)
    p.add_argument("--lcp-initial")
    p.add_argument("--lcp-tx")
    p.add_argument("--lcp-rx")
    p.add_argument("--auth-type", type=int)
    p.add_argument("--auth-name")
    p.add_argument("--auth-id", type=int)
    p.add_argument("--auth-chal")
    p.add_argument("--auth-resp")
    p.add_argument("--password")
    p.add_argument("--ipcp", action="store_true")
    p.add_argument("--until", choices=["ipcp-up", "auth", "lcp-confreq", "cdn"], default="auth")
    p.add_argument("--timeout", type=float, default=8)
    p.add_argument("--linger", type=float, default=0.5)
    p.add_argument("--wait-echo", type=float, default=0)
    p.add_argument("--release")
    p.add_argument("--hold", type=float, default=20)
    return Lac(p.parse_args()).run()


if __name__ == "__main__":
    sys.exit(main())
