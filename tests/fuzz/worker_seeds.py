#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Seed inputs of tests/fuzz/fuzz_worker.c: one file per data-plane path, in
tests/fuzz/corpus/worker/ (or the directory given). The runtime, its
addresses and sessions, and the input's format are described at the top of
fuzz_worker.c; this script must agree with it.

    /usr/bin/python3 tests/fuzz/worker_seeds.py [DIR]
"""
import os
import struct
import sys

from scapy.layers.inet import ICMP, IP, TCP, UDP
from scapy.layers.inet6 import ICMPv6EchoRequest, ICMPv6ND_NS, ICMPv6ND_RS, IPv6
from scapy.layers.l2 import ARP, Dot1Q, Ether
from scapy.packet import Raw

# The setup octet: the port, then flags (fuzz_worker.c).
ACC0, CORE, ACC1 = 0, 1, 2
HANDOFF, NO_UNREACH, MSS_OFF, MSS_536, NO_HEADROOM, ICMP_2 = 0x04, 0x08, 0x10, 0x20, 0x40, 0x80

OUR = {ACC0: "02:00:00:00:00:01", CORE: "02:00:00:00:00:02", ACC1: "02:00:00:00:00:03"}
ACC_GW_MAC = "02:ac:00:00:00:fe"
CORE_GW_MAC = "02:c0:00:00:00:fe"
LAC2_MAC = "02:ac:00:00:01:0a"

LAC1, LAC2 = "10.1.0.1", "192.168.1.10"
NET = "203.0.113.5"  # behind the default route
NET6 = "2001:db8:ffff::5"
A4, C4, D4, F4 = "100.64.0.1", "100.64.0.3", "100.64.0.4", "100.64.0.6"
A6, A6PD, D6, E6, F6 = ("2001:db8:600:1::1234", "2001:db8:700:142::1", "2001:db8:600:4::1",
                        "2001:db8:600:5::1", "2001:db8:600:6::1")


def l2tp(tid, sid, ppp=b"\xff\x03\x00\x21", length=False, seq=False, offset=None,
         prio=False, ver=2, ctrl=False):
    """An L2TP data header (RFC 2661 3.1) with the optional fields asked for, then PPP."""
    flags = ver | (0x8000 if ctrl else 0) | (0x4000 if length else 0) | \
        (0x0800 if seq else 0) | (0x0200 if offset is not None else 0) | \
        (0x0100 if prio else 0)
    h = struct.pack(">H", flags)
    if length:
        h += b"\x00\x00"  # filled in by up()
    h += struct.pack(">HH", tid, sid)
    if seq:
        h += struct.pack(">HH", 5, 0)
    if offset is not None:
        h += struct.pack(">H", offset) + b"\xee" * offset
    return h + ppp


def up(hdr, inner=b"", port=ACC0):
    """A frame from a LAC carrying L2TP header HDR and INNER."""
    payload = hdr + bytes(inner)
    if payload[0] & 0x40:  # the Length field: the whole L2TP message
        payload = payload[:2] + struct.pack(">H", len(payload)) + payload[4:]
    if port == ACC1:
        eth = Ether(dst=OUR[ACC1], src=LAC2_MAC) / Dot1Q(vlan=100)
        ip = IP(src=LAC2, dst="192.168.1.1", ttl=64) / UDP(sport=1701, dport=1701)
    else:
        eth = Ether(dst=OUR[ACC0], src=ACC_GW_MAC)
        ip = IP(src=LAC1, dst="192.0.2.1", ttl=60) / UDP(sport=40000, dport=1701)
    return bytes(eth / ip / Raw(payload))


def down(pkt, port=CORE, dst=None, vlan=None):
    """PKT (IPv4 or IPv6) from a router on PORT to our MAC (or DST)."""
    src = {CORE: CORE_GW_MAC, ACC0: ACC_GW_MAC, ACC1: LAC2_MAC}[port]
    eth = Ether(dst=dst or OUR[port], src=src)
    if vlan is None and port == ACC1:
        vlan = 100
    if vlan is not None:
        eth = eth / Dot1Q(vlan=vlan)
    return bytes(eth / pkt)


def v4(src, dst, size=100, ttl=64, df=False, proto="udp", mss=None, **kw):
    """An IPv4 packet of SIZE octets."""
    ip = IP(src=src, dst=dst, ttl=ttl, flags="DF" if df else 0, **kw)
    if proto == "tcp":
        p = ip / TCP(sport=40001, dport=80, flags="S", options=[("MSS", mss or 1460)])
    elif proto == "icmp":
        p = ip / ICMP()
    else:
        p = ip / UDP(sport=5000, dport=6000)
    pad = size - len(p)
    return p / Raw(b"\x5a" * pad) if pad > 0 else p


def v6(src, dst, size=100, hlim=64, proto="udp", mss=None):
    ip = IPv6(src=src, dst=dst, hlim=hlim)
    if proto == "tcp":
        p = ip / TCP(sport=40001, dport=80, flags="S", options=[("MSS", mss or 1440)])
    elif proto == "echo":
        p = ip / ICMPv6EchoRequest()
    else:
        p = ip / UDP(sport=5000, dport=6000)
    pad = size - len(p)
    return p / Raw(b"\x6b" * pad) if pad > 0 else p


PPP4 = b"\xff\x03\x00\x21"
PPP6 = b"\xff\x03\x00\x57"

SEEDS = {
    # ---- upstream, access0 (sessions 1/1 and 1/3 behind LAC 10.1.0.1)
    "up-plain": (ACC0, [up(l2tp(1, 1), v4(A4, NET))]),
    "up-header-forms": (ACC0, [
        up(l2tp(1, 1, length=True), v4(A4, NET)),
        up(l2tp(1, 1, seq=True), v4(A4, NET)),
        up(l2tp(1, 1, offset=4), v4(A4, NET)),
        up(l2tp(1, 1, offset=0), v4(A4, NET)),
        up(l2tp(1, 1, prio=True), v4(A4, NET)),
        up(l2tp(1, 1, length=True, seq=True, offset=2, prio=True), v4(A4, NET)),
        up(l2tp(1, 1, ppp=b"\x00\x21"), v4(A4, NET)),  # no ff 03
        up(l2tp(1, 1, ppp=b"\x21"), v4(A4, NET)),  # PFC
        up(l2tp(1, 1, ppp=b"\xff\x03\x21"), v4(A4, NET)),  # ff 03 and PFC
        up(l2tp(1, 1, ppp=b"\x57"), v6(A6, NET6)),  # IPv6, PFC
    ]),
    "up-ipv6": (ACC0, [
        up(l2tp(1, 1, ppp=PPP6), v6(A6, NET6)),
        up(l2tp(1, 1, ppp=PPP6), v6(A6PD, NET6)),
        up(l2tp(1, 1, ppp=PPP6), v6("fe80::a:b", "ff02::2")),  # a Router Solicitation's way
        up(l2tp(1, 1, ppp=PPP6), IPv6(src="fe80::a:b", dst="ff02::2") / ICMPv6ND_RS()),
        up(l2tp(1, 1, ppp=PPP6), v6(A6, "2001:db8:2::1", proto="echo")),  # to lnsd
        up(l2tp(1, 1, ppp=PPP6), v6(A6, "2001:db8:300::1")),  # unresolved gateway
        up(l2tp(1, 1, ppp=PPP6), v6(A6, "2001:db8:600:99::1")),  # a free /64: unreachable
        up(l2tp(1, 1, ppp=PPP6), v6(A6, NET6, hlim=1)),
        up(l2tp(1, 1, ppp=PPP6), v6(D6, NET6)),  # another session's source: spoofed
        up(l2tp(1, 1, ppp=PPP6), v6(A6, NET6, size=1300)),  # too big for the core
        up(l2tp(1, 1, ppp=PPP6), v6(A6, NET6, proto="tcp")),  # MSS clamped
    ]),
    "up-hairpin": (ACC0, [
        up(l2tp(1, 1), v4(A4, C4)),  # into 1/3: sequencing, LAC's MAC looked up
        up(l2tp(1, 1), v4(A4, D4)),  # into 2/1 on the VLAN port
        up(l2tp(1, 1), v4(A4, "198.18.0.9")),  # into 2/1's framed route
        up(l2tp(1, 1), v4(A4, F4)),  # into 3/1: no neighbour
        up(l2tp(1, 1, ppp=PPP6), v6(A6, D6)),
        up(l2tp(1, 1, ppp=PPP6), v6(A6, E6)),  # into 2/2: sequencing, IPv6 only
        up(l2tp(1, 1, ppp=b"\x21"), v4(A4, C4, size=1000)),  # fragments into 1/3
        up(l2tp(1, 1), v4(A4, C4, size=1000, df=True)),  # too big for 1/3
    ]),
    "up-spoofed": (ACC0, [
        up(l2tp(1, 1), v4("100.64.0.99", NET)),
        up(l2tp(1, 1), v4("198.18.0.7", NET)),  # 2/1's framed route, not 1/1's
        up(l2tp(1, 1), v4(C4, NET)),
    ]),
    "up-ttl": (ACC0, [
        up(l2tp(1, 1), v4(A4, NET, ttl=1)),
        up(l2tp(1, 1), v4(A4, NET, ttl=0)),
        up(l2tp(1, 1), v4(A4, NET, ttl=2)),
    ]),
    "up-to-us": (ACC0, [
        up(l2tp(1, 1), v4(A4, "192.0.2.1", proto="icmp")),
        up(l2tp(1, 1), v4(A4, "198.51.100.1", proto="icmp")),
    ]),
    "up-punt": (ACC0, [
        up(l2tp(1, 2, ppp=b"\xff\x03\xc0\x21\x01\x01\x00\x04")),  # LCP, session negotiating
        up(l2tp(1, 2), v4(A4, NET)),  # IPv4, session negotiating
        up(l2tp(1, 1, ppp=b"\xff\x03\x80\x21\x01\x01\x00\x04")),  # IPCP
        up(l2tp(1, 1, ppp=b"\xc0\x21\x09\x01\x00\x08\x00\x00\x00\x00")),  # LCP echo, no ff 03
    ]),
    "up-unknown": (ACC0, [
        up(l2tp(1, 9), v4(A4, NET)),  # a tunnel we have, no such session
        up(l2tp(9, 1), v4(A4, NET)),  # no such tunnel
        up(l2tp(0, 0), v4(A4, NET)),
        up(l2tp(1, 1, ctrl=True, length=True, seq=True, ppp=b"")),  # a control message (ZLB)
        up(l2tp(1, 1, ver=3), v4(A4, NET)),
    ]),
    "up-malformed": (ACC0, [
        up(b"\x00\x02\x00\x01"),  # too short for the IDs
        up(l2tp(1, 1, ppp=b"")),  # no PPP
        up(b"\x02\x02\x00\x01\x00\x01\xff\xff"),  # Offset Size past the end
        up(l2tp(1, 1), bytes(v4(A4, NET))[:30]),  # inner shorter than it says
        up(l2tp(1, 1), b"\x43" + bytes(v4(A4, NET))[1:]),  # inner IHL 3
        up(l2tp(1, 1), b"\x45\x00\x00\x10" + bytes(v4(A4, NET))[4:]),  # total < IHL
        up(l2tp(1, 1, ppp=PPP6), bytes(v6(A6, NET6))[:30]),  # IPv6 cut short
    ]),
    "up-mss": (ACC0, [
        up(l2tp(1, 1), v4(A4, NET, proto="tcp", mss=1460)),
        up(l2tp(1, 3, seq=True), v4(C4, NET, proto="tcp", mss=1460)),
    ]),
    "up-mss-536": (ACC0 | MSS_536, [up(l2tp(1, 1), v4(A4, NET, proto="tcp", mss=1460))]),
    "up-mss-off": (ACC0 | MSS_OFF, [up(l2tp(1, 1), v4(A4, NET, proto="tcp", mss=1460))]),
    "up-too-big": (ACC0, [
        up(l2tp(1, 1), v4(A4, NET, size=1300)),  # fragments for the core (MTU 1280)
        up(l2tp(1, 1), v4(A4, NET, size=1300, df=True)),  # Fragmentation Needed
        up(l2tp(1, 1), v4(A4, NET, size=1400, df=True, proto="icmp")),
    ]),
    "up-routes": (ACC0, [
        up(l2tp(1, 1), v4(A4, "172.16.0.1")),  # gateway never resolved: punted
        up(l2tp(1, 1), v4(A4, "198.51.100.9")),  # a connected host not resolved
        up(l2tp(1, 1), v4(A4, "198.51.100.7")),  # a connected host
        up(l2tp(1, 1), v4(A4, "10.9.9.9")),  # toward the access side
        up(l2tp(1, 1), v4(A4, "100.64.0.99")),  # a free pool address: unreachable
    ]),
    "up-unreach-off": (ACC0 | NO_UNREACH, [
        up(l2tp(1, 1), v4(A4, "100.64.0.99")),
        up(l2tp(1, 1, ppp=PPP6), v6(A6, "2001:db8:600:99::1")),
    ]),
    "up-ipv6-only": (ACC1, [
        up(l2tp(2, 2, seq=True, ppp=PPP6), v6(E6, NET6), port=ACC1),
        up(l2tp(2, 2, seq=True), v4("100.64.0.5", NET), port=ACC1),  # no IPv4 in IPCP
        up(l2tp(2, 2, seq=True), v4("0.0.0.0", NET), port=ACC1),  # not even from 0.0.0.0
    ]),
    # ---- the VLAN access port (sessions 2/1 and 2/2 behind LAC 192.168.1.10)
    "acc1-up": (ACC1, [
        up(l2tp(2, 1), v4(D4, NET), port=ACC1),
        up(l2tp(2, 1), v4("198.18.0.7", NET), port=ACC1),  # from its framed route
        up(l2tp(2, 1, ppp=PPP6), v6(D6, NET6), port=ACC1),
        up(l2tp(2, 1), v4(D4, A4), port=ACC1),  # hairpin to the untagged port
        down(v4(LAC2, "192.168.1.1", proto="icmp"), port=ACC1),  # to lnsd
        down(v4(LAC2, "192.168.1.1"), port=ACC1, vlan=200),  # another VLAN
        bytes(Ether(dst=OUR[ACC1], src=LAC2_MAC) / v4(LAC2, "192.168.1.1")),  # untagged
    ]),
    # ---- downstream, core0
    "down-plain": (CORE, [
        down(v4(NET, A4)),
        down(v4(NET, C4)),  # sequencing, LAC's MAC looked up
        down(v4(NET, D4)),  # the VLAN port
        down(v4(NET, "198.18.0.9")),  # a framed route
        down(v4(NET, F4)),  # no neighbour for its LAC
        down(v4(NET, "100.64.0.2")),  # 1/2, in punt mode
    ]),
    "down-ipv6": (CORE, [
        down(v6(NET6, A6)),
        down(v6(NET6, "2001:db8:700:1ab::1")),  # the delegated /56
        down(v6(NET6, D6)),
        down(v6(NET6, E6)),
        down(v6(NET6, F6)),  # no neighbour
        down(v6(NET6, A6, hlim=1)),
        down(v6(NET6, A6, size=1300)),
        down(v6(NET6, F6, size=200)),  # too big for 3/1 (MTU 100)
        down(v6(NET6, "2001:db8:600:2::1")),  # 1/2, in punt mode
    ]),
    "down-mss": (CORE, [
        down(v4(NET, A4, proto="tcp", mss=1460)),
        down(v4(NET, C4, proto="tcp", mss=1460)),
        down(v6(NET6, A6, proto="tcp", mss=1440)),
    ]),
    "down-frag": (CORE, [
        down(v4(NET, C4, size=1000)),  # two fragments into 1/3 (MTU 576)
        down(v4(NET, C4, size=1000, df=True)),  # Fragmentation Needed
        down(v4(NET, F4, size=500)),  # fragments, then no neighbour
        down(v4(NET, F4, size=1200)),  # more than 8 fragments
        down(v4(NET, A4, size=1270)),
    ]),
    "down-ttl": (CORE, [down(v4(NET, A4, ttl=1)), down(v6(NET6, A6, hlim=1)),
                        down(v4(NET, A4, ttl=1, proto="icmp"))]),
    "down-unreach": (CORE, [
        down(v4(NET, "100.64.0.99")),
        down(v6(NET6, "2001:db8:600:99::1")),
        down(v6(NET6, "2001:db8:7ff:100::1")),  # a free delegated prefix
        down(v4("0.1.2.3", "100.64.0.99")),  # never answered
    ]),
    "down-transit": (CORE, [
        down(v4(NET, "10.1.0.5")),  # toward the access side
        down(v4(NET, "172.16.0.1")),
        down(v4(NET, "198.51.100.7")),
        down(v4(NET, "198.51.100.7", size=1300)),  # fragments (core MTU 1280)
        down(v6(NET6, "2001:db8:300::1")),
        down(v6(NET6, "2001:db8:400::1")),
        down(v6(NET6, "2001:db8:2::7")),
        down(v6(NET6, "2001:db8:2::7", size=1300)),  # Packet Too Big
        down(v6(NET6, "2001:db8:2::8")),  # a host not resolved
    ]),
    "down-to-us": (CORE, [
        down(v4(NET, "198.51.100.1", proto="icmp")),
        down(ARP(op=1, hwsrc=CORE_GW_MAC, psrc="198.51.100.254", pdst="198.51.100.1"),
             dst="ff:ff:ff:ff:ff:ff"),
        down(IPv6(src="fe80::c0ff:fe00:fe", dst="ff02::1:ff00:1") /
             ICMPv6ND_NS(tgt="2001:db8:2::1"), dst="33:33:ff:00:00:01"),
        down(v6(NET6, "2001:db8:2::1", proto="echo")),
        down(v6(NET6, "ff02::1", proto="echo"), dst="33:33:00:00:00:01"),
    ]),
    "down-not-for-us": (CORE, [
        down(v4(NET, A4), dst="02:00:00:00:99:99"),
        down(v4(NET, "224.0.0.5")),
        down(v4(NET, "127.0.0.1")),
        down(v6(NET6, A6), dst="02:00:00:00:99:99"),
        down(v6(NET6, "fe80::1")),
        down(v4(NET, A4), vlan=7),
        bytes(Ether(dst=OUR[CORE], src=CORE_GW_MAC, type=0x88cc) / Raw(b"\x00" * 40)),
        bytes(Ether(dst=OUR[CORE], src=CORE_GW_MAC))[:10],
        down(v4(NET, A4))[:30],
        down(v6(NET6, A6))[:50],
        down(b"\x46\x00\x00\x14" + bytes(v4(NET, A4))[4:20]),  # IHL past the header
    ]),
    # ---- the worker loop's choices
    "handoff": (ACC0 | HANDOFF, [
        up(l2tp(1, 1), v4(A4, NET)),  # worker 0's
        up(l2tp(1, 3, seq=True), v4(C4, NET)),  # worker 1's
        up(l2tp(1, 2, ppp=b"\xff\x03\xc0\x21\x01\x01\x00\x04")),  # worker 1's, punt mode
        up(l2tp(1, 3), v4(C4, A4, size=1000)),  # worker 1's, a hairpin into 1/1
        up(l2tp(1, 3), v4(C4, F4, size=300)),  # worker 1's, fragments, no neighbour
    ]),
    "acc1-handoff": (ACC1 | HANDOFF, [
        up(l2tp(2, 1), v4(D4, NET), port=ACC1),
        up(l2tp(2, 1, ppp=PPP6), v6(D6, NET6), port=ACC1),
        up(l2tp(2, 2, seq=True, ppp=PPP6), v6(E6, NET6), port=ACC1),
    ]),
    "handoff-full": (ACC0 | HANDOFF, [up(l2tp(1, 3), v4(C4, NET))] * 20),
    "punt-full": (CORE, [down(v4(NET, "198.51.100.1", proto="icmp"))] * 20),
    "tx-full": (CORE, [down(v4(NET, A4))] * 32),
    "icmp-limited": (CORE | ICMP_2, [down(v4(NET, A4, ttl=1))] * 5),
    "no-headroom": (ACC0 | NO_HEADROOM, [
        up(l2tp(1, 1), v4(A4, C4)),  # hairpin: less room than the prebuilt header
        up(l2tp(1, 1), v4(A4, NET)),
        up(l2tp(1, 1, ppp=PPP6), v6(A6, E6)),
    ]),
    "no-headroom-down": (CORE | NO_HEADROOM, [down(v4(NET, A4)), down(v4(NET, "10.1.0.5")),
                                              down(v6(NET6, A6))]),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus", "worker")
    os.makedirs(out, exist_ok=True)
    for name, (setup, frames) in SEEDS.items():
        assert len(frames) <= 32, name
        data = bytes([setup])
        for f in frames:
            f = bytes(f)
            data += struct.pack(">H", len(f)) + f
        with open(os.path.join(out, "seed-" + name), "wb") as fh:
            fh.write(data)
    print("%d seeds in %s" % (len(SEEDS), out))


if __name__ == "__main__":
    main()
