#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Send malformed and not-for-us frames at lnsd from a peer namespace.

Run inside the peer's namespace (ip netns exec NS garbage.py ...). Frames are
built with scapy and written to a raw AF_PACKET socket on IFACE, so they reach
lnsd's af_packet port byte for byte. Prints one JSON object:

    {"sent": {"<kind>": <count>, ...}, "notes": ["...", ...]}

Kinds (the drop reason lnsd is expected to give is the test's business):
  runt_vlan          16-byte frame: 802.1Q ethertype, tag cut short
  unknown_ethertype  ethertype 0x88b5 (IEEE local experimental)
  ipv4_empty         IPv4 ethertype, no IP header at all (14-byte frame)
  ipv4_bad_ihl       IPv4 header with IHL 4 (16 bytes, less than the minimum)
  ipv4_bad_version   IPv4 ethertype carrying version 5
  ipv4_truncated     total length 200, frame carries 28 bytes of IP
  ipv6_short         IPv6 ethertype, 20 bytes of a 40-byte header
  ipv6_truncated     payload length 100, frame carries 8
  udp4_not_ours      well-formed UDP to an IPv4 address lnsd does not own, in a
                     frame for another station's MAC (lnsd routes what is sent
                     to its own MAC)
  udp6_not_ours      the same for IPv6
  arp_not_ours       ARP request (broadcast) for an IPv4 address not lnsd's
  ns_not_ours        neighbour solicitation for an IPv6 address not lnsd's
                     whose solicited-node group is one of lnsd's (same low
                     24 bits as OUR6), so it reaches lnsd's control plane

Runts need a trick. Linux refuses packet-socket writes shorter than the
device's min_header_len (14 on Ethernet) with EINVAL, so a frame shorter than
the Ethernet header cannot be sent at all; the script tries a 10-byte one once
and says so in "notes". And a veth's receive path drops an 802.1Q frame whose
tag is cut short (skb_vlan_untag) before any packet socket sees it. What
reaches lnsd is the same frame sent on lnsd's own end of the veth, from its
namespace: net_af_packet's socket also receives frames that other sockets
send on its interface (DPDK 22.11 does not set PACKET_IGNORE_OUTGOING). So run
"--kinds runt_vlan" on the lns-side interface, the other kinds on the peer's.
"""
import argparse
import json
import socket
import sys

from scapy.all import (ARP, IP, UDP, Ether, ICMPv6ND_NS, ICMPv6NDOptSrcLLAddr, IPv6, Raw,  # noqa: E402
                       in6_getnsma, in6_getnsmac)


def build(a):
    dst, src = a.dst_mac, a.src_mac
    pay = Raw(b"lns-garbage-" + b"x" * 20)
    f = {}
    f["runt_vlan"] = bytes(Ether(dst=dst, src=src, type=0x8100)) + b"\x00\x01"
    f["unknown_ethertype"] = bytes(Ether(dst=dst, src=src, type=0x88B5) / Raw(b"\x00" * 46))
    f["ipv4_empty"] = bytes(Ether(dst=dst, src=src, type=0x0800))
    f["ipv4_bad_ihl"] = bytes(Ether(dst=dst, src=src) / IP(src=a.src4, dst=a.our4, ihl=4) / UDP(dport=9) / pay)
    f["ipv4_bad_version"] = bytes(Ether(dst=dst, src=src) / IP(src=a.src4, dst=a.our4, version=5) / UDP(dport=9) / pay)
    f["ipv4_truncated"] = bytes(Ether(dst=dst, src=src) / IP(src=a.src4, dst=a.our4, len=200) / UDP(dport=9))
    v6 = bytes(IPv6(src=a.src6, dst=a.our6) / UDP(dport=9) / pay)
    f["ipv6_short"] = bytes(Ether(dst=dst, src=src, type=0x86DD)) + v6[:20]
    f["ipv6_truncated"] = bytes(Ether(dst=dst, src=src) / IPv6(src=a.src6, dst=a.our6, plen=100, nh=17)) + b"\x00" * 8
    # To another station's MAC (RFC 7042 documentation range): a router must not
    # forward what was not sent to it, whatever the IP destination.
    other_mac = "00:00:5e:00:53:99"
    f["udp4_not_ours"] = bytes(Ether(dst=other_mac, src=src) / IP(src=a.src4, dst=a.other4) / UDP(sport=4242, dport=9) / pay)
    f["udp6_not_ours"] = bytes(Ether(dst=other_mac, src=src) / IPv6(src=a.src6, dst=a.other6) / UDP(sport=4242, dport=9) / pay)
    f["arp_not_ours"] = bytes(Ether(dst="ff:ff:ff:ff:ff:ff", src=src) /
                              ARP(op=1, hwsrc=src, psrc=a.src4, hwdst="00:00:00:00:00:00", pdst=a.other4))
    # Same low 24 bits as our6, another /64: lnsd's solicited-node group.
    b = bytearray(socket.inet_pton(socket.AF_INET6, a.our6))
    b[7] ^= 0xFF
    twin = socket.inet_ntop(socket.AF_INET6, bytes(b))
    sn = socket.inet_ntop(socket.AF_INET6, in6_getnsma(bytes(b)))
    f["ns_not_ours"] = bytes(Ether(dst=in6_getnsmac(in6_getnsma(bytes(b))), src=src) /
                             IPv6(src=a.src6, dst=sn, hlim=255) / ICMPv6ND_NS(tgt=twin) /
                             ICMPv6NDOptSrcLLAddr(lladdr=src))
    return f


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--iface", required=True)
    p.add_argument("--dst-mac", required=True, help="lnsd's MAC on this link")
    p.add_argument("--src4", required=True, help="this peer's IPv4 address")
    p.add_argument("--our4", required=True, help="lnsd's IPv4 address on this link")
    p.add_argument("--other4", required=True, help="an IPv4 address lnsd does not own")
    p.add_argument("--src6", required=True)
    p.add_argument("--our6", required=True)
    p.add_argument("--other6", required=True)
    p.add_argument("--count", type=int, default=10, help="frames of each kind")
    p.add_argument("--kinds", default="", help="comma-separated subset (default: all)")
    a = p.parse_args()
    with open("/sys/class/net/%s/address" % a.iface) as fh:
        a.src_mac = fh.read().strip()

    frames = build(a)
    if a.kinds:
        want = a.kinds.split(",")
        unknown = [k for k in want if k not in frames]
        if unknown:
            p.error("unknown kinds: %s" % ",".join(unknown))
        frames = {k: frames[k] for k in want}

    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.iface, 0))
    notes = []
    try:
        s.send(b"\xff" * 6 + b"\x02" * 4)
        notes.append("a 10-byte frame was accepted by the kernel (not counted)")
    except OSError as e:
        notes.append("10-byte runt not sendable on %s: %s; runt_vlan used instead" % (a.iface, e.strerror))

    sent = {k: 0 for k in frames}
    for _ in range(a.count):
        for k, f in frames.items():
            if s.send(f) == len(f):
                sent[k] += 1
    s.close()
    json.dump({"sent": sent, "notes": notes, "lengths": {k: len(f) for k, f in frames.items()}}, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
