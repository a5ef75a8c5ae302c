#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""A minimal L2TPv2 control peer (a LAC's side) and decoder, for the netns tests.

Written from RFC 2661 alone (sections 3.1, 4.1, 4.3, 5.8), independently of
lnsd's codec, so the tests compare lnsd against a second implementation.

Subcommands (each prints one JSON object on stdout):

  decode PCAP [--src IP] [--secret S]
      every L2TP control message in PCAP (UDP port 1701, Ethernet or Linux
      cooked capture), optionally only those from IP; hidden AVPs are un-hidden
      with S (section 4.3) and reported with both the hidden and the clear value.

  payloads PCAP [--dport 1701]
      the UDP payloads to DPORT of every frame of PCAP, walked by hand (works
      for captures whose link type scapy does not know), as hex.

  send --bind IP [--sport N] --lns IP [--wait S] HEX...
      send each payload (hex) from IP:N to LNS:1701; report what came back
      within S seconds after the last (decoded).

  open --bind IP --sport N --lns IP (--hex HEX | --file F [--frame])
       [--drop-last-avp] [--hide-challenge HEX] [--secret S] [--scccn]
       [--scccn-hidden] [--timeout S]
      send an SCCRQ (hex, a file, or the UDP payload of the raw Ethernet frame
      in a file with --frame; optionally rebuilt: its last AVP
      dropped, or its last AVP replaced by a Challenge AVP of value HEX hidden
      with S under the message's own Random Vector), wait for the answer and
      decode it. With --scccn, answer an SCCRP with an SCCCN (Challenge
      Response to lnsd's Challenge when it sent one, hidden with
      --scccn-hidden) and wait for its acknowledgement.

  stop --bind IP --sport N --lns IP --tid T --our-tid O --ns NS --nr NR
      send a StopCCN (result 1) on tunnel T and wait for its acknowledgement.

Challenge Response (section 4.3.3 of RFC 2661's AVP list, "Challenge Response"):
MD5(message type as one octet || secret || challenge): type 2 in an SCCRP, 3 in
an SCCCN.
"""
import argparse
import hashlib
import json
import os
import socket
import struct
import sys
import time

L2TP_PORT = 1701
MSG_NAMES = {1: "SCCRQ", 2: "SCCRP", 3: "SCCCN", 4: "StopCCN", 6: "HELLO", 7: "OCRQ", 8: "OCRP",
             9: "OCCN", 10: "ICRQ", 11: "ICRP", 12: "ICCN", 14: "CDN", 15: "WEN", 16: "SLI"}
AVP_MSG_TYPE, AVP_RESULT, AVP_HOST_NAME, AVP_VENDOR_NAME = 0, 1, 7, 8
AVP_TUNNEL_ID, AVP_CHALLENGE, AVP_CHAL_RESP, AVP_RANDOM_VECTOR = 9, 11, 13, 36


# ---------------------------------------------------------------------------
# Header and AVPs

def parse_header(d):
    """Section 3.1. Returns a dict; 'error' set when the header does not fit."""
    h = {"len": len(d)}
    if len(d) < 6:
        h["error"] = "short"
        return h
    flags = struct.unpack(">H", d[:2])[0]
    h.update(t=bool(flags & 0x8000), l=bool(flags & 0x4000), s=bool(flags & 0x0800),
             o=bool(flags & 0x0200), ver=flags & 0x0f)
    off = 2
    if h["l"]:
        h["length"] = struct.unpack(">H", d[off:off + 2])[0]
        off += 2
    h["tid"], h["sid"] = struct.unpack(">HH", d[off:off + 4])
    off += 4
    if h["s"]:
        if len(d) < off + 4:
            h["error"] = "short"
            return h
        h["ns"], h["nr"] = struct.unpack(">HH", d[off:off + 4])
        off += 4
    if h["o"]:
        osz = struct.unpack(">H", d[off:off + 2])[0]
        off += 2 + osz
    h["hdr_len"] = off
    return h


def hide(attr, secret, rv, value, pad=b""):
    """Section 4.3: hide VALUE of AVP type ATTR under SECRET and random vector RV."""
    plain = struct.pack(">H", len(value)) + value + pad
    out, prev = b"", None
    for i in range(0, len(plain), 16):
        b = hashlib.md5(struct.pack(">H", attr) + secret + rv if i == 0 else secret + prev).digest()
        c = bytes(x ^ y for x, y in zip(plain[i:i + 16], b))
        out += c
        prev = c
    return out


def unhide(attr, secret, rv, hidden):
    """Section 4.3 in reverse: (original value, padding length) or (None, reason)."""
    plain, prev = b"", None
    for i in range(0, len(hidden), 16):
        b = hashlib.md5(struct.pack(">H", attr) + secret + rv if i == 0 else secret + prev).digest()
        blk = hidden[i:i + 16]
        plain += bytes(x ^ y for x, y in zip(blk, b))
        prev = blk
    if len(plain) < 2:
        return None, "hidden value under 2 octets"
    n = struct.unpack(">H", plain[:2])[0]
    if n > len(plain) - 2:
        return None, "original length %d larger than the %d octets hidden" % (n, len(plain) - 2)
    return plain[2:2 + n], len(plain) - 2 - n


def avp(attr, value, m=True, h=False, vendor=0):
    flags = (0x8000 if m else 0) | (0x4000 if h else 0)
    return struct.pack(">HHH", flags | (6 + len(value)), vendor, attr) + value


def walk_avps(d, start, end):
    """[(offset, flags, vendor, type, raw value)] or raises ValueError."""
    out, i = [], start
    while i < end:
        if end - i < 6:
            raise ValueError("avp_truncated")
        f, vendor, attr = struct.unpack(">HHH", d[i:i + 6])
        ln = f & 0x3ff
        if ln < 6:
            raise ValueError("avp_short")
        if i + ln > end:
            raise ValueError("avp_overrun")
        out.append((i, f, vendor, attr, d[i + 6:i + ln]))
        i += ln
    return out


def decode(d, secret=None):
    """A control message as a dict: header, message type, AVPs (un-hidden when possible)."""
    h = parse_header(d)
    r = {"header": h}
    if "error" in h or not h.get("t"):
        return r
    end = h.get("length", len(d))
    try:
        avps = walk_avps(d, h["hdr_len"], min(end, len(d)))
    except ValueError as e:
        r["error"] = str(e)
        return r
    r["zlb"] = not avps
    rv, lst = None, []
    for off, f, vendor, attr, val in avps:
        a = {"type": attr, "vendor": vendor, "m": bool(f & 0x8000), "h": bool(f & 0x4000),
             "reserved": (f >> 10) & 0xf, "len": 6 + len(val)}
        clear = val
        if a["h"]:
            a["hidden_hex"] = val.hex()
            if secret is None or rv is None:
                clear = None
                a["unhide"] = "no secret" if secret is None else "no random vector before it"
            else:
                clear, why = unhide(attr, secret, rv, val)
                if clear is None:
                    a["unhide"] = why
                else:
                    a["pad"] = why
        if vendor == 0 and attr == AVP_RANDOM_VECTOR:
            rv = val
        if clear is not None:
            a["hex"] = clear.hex()
            if vendor == 0 and attr in (AVP_MSG_TYPE, AVP_TUNNEL_ID, 10, 14, 6) and len(clear) == 2:
                a["u16"] = struct.unpack(">H", clear)[0]
            if vendor == 0 and attr in (AVP_HOST_NAME, AVP_VENDOR_NAME):
                a["str"] = clear.decode("latin-1")
            if vendor == 0 and attr == AVP_RESULT and len(clear) >= 2:
                a["result"] = struct.unpack(">H", clear[:2])[0]
                if len(clear) >= 4:
                    a["error"] = struct.unpack(">H", clear[2:4])[0]
                a["message"] = clear[4:].decode("latin-1")
        lst.append(a)
    r["avps"] = lst
    if lst and lst[0]["type"] == AVP_MSG_TYPE and "u16" in lst[0]:
        r["msg_type"] = lst[0]["u16"]
        r["msg"] = MSG_NAMES.get(r["msg_type"], "type %d" % r["msg_type"])
    elif r["zlb"]:
        r["msg"] = "ZLB"
    return r


def avp_of(r, attr):
    for a in r.get("avps", []):
        if a["vendor"] == 0 and a["type"] == attr:
            return a
    return None


def chal_resp(msg_type, secret, challenge):
    return hashlib.md5(bytes([msg_type]) + secret + challenge).digest()


def build(tid, sid, ns, nr, avps):
    body = b"".join(avps)
    return struct.pack(">HHHHHH", 0xc802, 12 + len(body), tid, sid, ns, nr) + body


# ---------------------------------------------------------------------------
# Captures

def pcap_frames(path):
    """(link type, [frame bytes]) of a classic pcap file, walked by hand."""
    d = open(path, "rb").read()
    magic = d[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        raise SystemExit("%s: not a classic pcap file" % path)
    linktype = struct.unpack(e + "I", d[20:24])[0] & 0xffff  # low 16 bits: the link type
    off, frames = 24, []
    while off + 16 <= len(d):
        caplen = struct.unpack(e + "I", d[off + 8:off + 12])[0]
        frames.append(d[off + 16:off + 16 + caplen])
        off += 16 + caplen
    return linktype, frames


def udp_of(linktype, f):
    """(src, dst, sport, dport, payload) of an IPv4/UDP frame, or None."""
    if linktype == 1:  # Ethernet, possibly 802.1Q or MPLS
        et, off = struct.unpack(">H", f[12:14])[0] if len(f) >= 14 else 0, 14
        while et == 0x8100 and len(f) >= off + 4:
            et, off = struct.unpack(">H", f[off + 2:off + 4])[0], off + 4
        if et == 0x8847:
            while len(f) >= off + 4:
                bos = f[off + 2] & 1
                off += 4
                if bos:
                    break
            et = 0x0800
    elif linktype == 113:  # Linux cooked
        et, off = struct.unpack(">H", f[14:16])[0] if len(f) >= 16 else 0, 16
    else:
        return None
    if et != 0x0800 or len(f) < off + 20 or f[off] >> 4 != 4 or f[off + 9] != 17:
        return None
    ihl = (f[off] & 15) * 4
    u = f[off + ihl:]
    if len(u) < 8:
        return None
    sport, dport = struct.unpack(">HH", u[:4])
    return (socket.inet_ntoa(f[off + 12:off + 16]), socket.inet_ntoa(f[off + 16:off + 20]),
            sport, dport, u[8:])


# ---------------------------------------------------------------------------
# Talking to lnsd

def sock(bind, sport):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((bind, sport))
    return s


def recv_until(s, deadline, want=None):
    """Messages received until DEADLINE (or the first for which WANT(msg) holds)."""
    got = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return got, None
        s.settimeout(left)
        try:
            d, a = s.recvfrom(4096)
        except socket.timeout:
            return got, None
        got.append((d, a))
        if want and want(d):
            return got, d


def is_ctrl_not_zlb(d):
    h = parse_header(d)
    return h.get("t") and "error" not in h and h.get("hdr_len", 0) < h.get("length", len(d))


def is_zlb(d):
    h = parse_header(d)
    return h.get("t") and "error" not in h and h.get("hdr_len", 0) == h.get("length", len(d))


def load_sccrq(a):
    if a.hex:
        return bytes.fromhex(a.hex)
    d = open(a.file, "rb").read()
    if a.frame:  # one raw Ethernet frame: its UDP payload
        u = udp_of(1, d)
        if u is None:
            raise SystemExit("%s: no IPv4/UDP in the frame" % a.file)
        return u[4]
    return d


def rebuild_sccrq(d, a, secret):
    """Variants of a captured SCCRQ, built here (the file is never changed)."""
    h = parse_header(d)
    end = h.get("length", len(d))
    avps = walk_avps(d, h["hdr_len"], end)
    if a.drop_last_avp or a.hide_challenge:
        d = d[:avps[-1][0]]
        rvs = [v for _, _, vend, t, v in avps[:-1] if vend == 0 and t == AVP_RANDOM_VECTOR]
        if a.hide_challenge:
            if not rvs:
                raise SystemExit("no Random Vector before the last AVP to hide under")
            chal = bytes.fromhex(a.hide_challenge)
            d += avp(AVP_CHALLENGE, hide(AVP_CHALLENGE, secret, rvs[-1], chal), h=True)
        d = d[:2] + struct.pack(">H", len(d)) + d[4:] if h["l"] else d
    return d


def cmd_open(a):
    secret = a.secret.encode() if a.secret else None
    d = rebuild_sccrq(load_sccrq(a), a, secret)
    q = decode(d, secret)
    res = {"sent": d.hex(), "sccrq": q}
    s = sock(a.bind, a.sport)
    s.sendto(d, (a.lns, L2TP_PORT))
    got, ans = recv_until(s, time.monotonic() + a.timeout, is_ctrl_not_zlb)
    res["received"] = [decode(x, secret) for x, _ in got]
    if ans is None:
        res["answer"] = None
        print(json.dumps(res))
        return 0
    r = decode(ans, secret)
    res["answer"] = r
    ch = avp_of(q, AVP_CHALLENGE)
    if ch and "hex" in ch and secret:
        res["expected_chal_resp"] = chal_resp(2, secret, bytes.fromhex(ch["hex"])).hex()
    if a.scccn and r.get("msg_type") == 2:
        lns_tid = avp_of(r, AVP_TUNNEL_ID)["u16"]
        our_tid = avp_of(q, AVP_TUNNEL_ID)["u16"]
        avps = [avp(AVP_MSG_TYPE, struct.pack(">H", 3))]
        lch = avp_of(r, AVP_CHALLENGE)
        if lch is not None and secret:
            resp = chal_resp(3, secret, bytes.fromhex(lch["hex"]))
            if a.scccn_hidden:
                rv = os.urandom(16)
                avps.append(avp(AVP_RANDOM_VECTOR, rv))
                avps.append(avp(AVP_CHAL_RESP, hide(AVP_CHAL_RESP, secret, rv, resp, os.urandom(5)),
                                h=True))
            else:
                avps.append(avp(AVP_CHAL_RESP, resp))
        m = build(lns_tid, 0, 1, r["header"]["ns"] + 1, avps)
        s.sendto(m, (a.lns, L2TP_PORT))
        res["scccn"] = decode(m, secret)
        got, ack = recv_until(s, time.monotonic() + a.timeout, lambda x: is_zlb(x) or is_ctrl_not_zlb(x))
        res["scccn_answer"] = decode(ack, secret) if ack else None
        res["lns_tid"], res["our_tid"] = lns_tid, our_tid
    print(json.dumps(res))
    return 0


def cmd_stop(a):
    m = build(a.tid, 0, a.ns, a.nr, [avp(AVP_MSG_TYPE, struct.pack(">H", 4)),
                                      avp(AVP_RESULT, struct.pack(">HH", 1, 0) + b"test done"),
                                      avp(AVP_TUNNEL_ID, struct.pack(">H", a.our_tid))])
    s = sock(a.bind, a.sport)
    s.sendto(m, (a.lns, L2TP_PORT))
    got, ack = recv_until(s, time.monotonic() + a.timeout, is_zlb)
    print(json.dumps({"sent": decode(m), "ack": decode(ack) if ack else None,
                      "received": [decode(x) for x, _ in got]}))
    return 0


def cmd_send(a):
    s = sock(a.bind, a.sport)
    for x in a.hex:
        s.sendto(bytes.fromhex(x), (a.lns, L2TP_PORT))
    got, _ = recv_until(s, time.monotonic() + a.wait)
    print(json.dumps({"sent": len(a.hex), "received": [decode(d) for d, _ in got]}))
    return 0


def cmd_decode(a):
    secret = a.secret.encode() if a.secret else None
    lt, frames = pcap_frames(a.pcap)
    out = []
    for i, f in enumerate(frames):
        u = udp_of(lt, f)
        if u is None or L2TP_PORT not in (u[2], u[3]) or (a.src and u[0] != a.src):
            continue
        r = decode(u[4], secret)
        r.update(frame=i + 1, src=u[0], dst=u[1])
        out.append(r)
    print(json.dumps({"messages": out}))
    return 0


def cmd_payloads(a):
    lt, frames = pcap_frames(a.pcap)
    out = []
    for i, f in enumerate(frames):
        u = udp_of(lt, f)
        if u is not None and u[3] == a.dport:
            out.append({"frame": i + 1, "hex": u[4].hex()})
    print(json.dumps({"linktype": lt, "frames": len(frames), "payloads": out}))
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sp = p.add_subparsers(dest="cmd", required=True)
    x = sp.add_parser("decode")
    x.add_argument("pcap")
    x.add_argument("--src")
    x.add_argument("--secret")
    x = sp.add_parser("payloads")
    x.add_argument("pcap")
    x.add_argument("--dport", type=int, default=L2TP_PORT)
    for name in ("send", "open", "stop"):
        x = sp.add_parser(name)
        x.add_argument("--bind", required=True)
        x.add_argument("--sport", type=int, default=0)
        x.add_argument("--lns", required=True)
        x.add_argument("--timeout", type=float, default=3.0)
        if name == "send":
            x.add_argument("--wait", type=float, default=0.5)
            x.add_argument("hex", nargs="+")
        elif name == "open":
            x.add_argument("--hex")
            x.add_argument("--file")
            x.add_argument("--frame", action="store_true")
            x.add_argument("--drop-last-avp", action="store_true")
            x.add_argument("--hide-challenge")
            x.add_argument("--secret")
            x.add_argument("--scccn", action="store_true")
            x.add_argument("--scccn-hidden", action="store_true")
        else:
            x.add_argument("--tid", type=int, required=True)
            x.add_argument("--our-tid", type=int, required=True)
            x.add_argument("--ns", type=int, required=True)
            x.add_argument("--nr", type=int, required=True)
    a = p.parse_args()
    return {"decode": cmd_decode, "payloads": cmd_payloads, "send": cmd_send, "open": cmd_open,
            "stop": cmd_stop}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
