/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which packets may be answered with an ICMP or ICMPv6 error. Pure functions
 * on octets (no mbufs, no EAL): the workers ask before they hand a packet to
 * the control lcore for an error (dp/mtu.c), the control lcore asks again
 * before it builds one (cp/icmp_err.c). Both planes include this header.
 */
#ifndef LNS_DP_ICMP_H
#define LNS_DP_ICMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* RFC 792 / RFC 1191 / RFC 4443 numbers used by lns. */
#define LNS_ICMP_DEST_UNREACH    3
#define LNS_ICMP_NET_UNREACH     0 /* codes of LNS_ICMP_DEST_UNREACH: no route */
#define LNS_ICMP_HOST_UNREACH    1 /* the network is known, the host is not there */
#define LNS_ICMP_PORT_UNREACH    3 /* nothing listens on the port */
#define LNS_ICMP_FRAG_NEEDED     4
#define LNS_ICMP_TIME_EXCEEDED   11
#define LNS_ICMP_EXC_TTL         0 /* code of LNS_ICMP_TIME_EXCEEDED: in transit */
#define LNS_ICMP6_DEST_UNREACH   1
#define LNS_ICMP6_NO_ROUTE       0 /* codes of LNS_ICMP6_DEST_UNREACH (RFC 4443 3.1) */
#define LNS_ICMP6_ADDR_UNREACH   3
#define LNS_ICMP6_PORT_UNREACH   4
#define LNS_ICMP6_PACKET_TOO_BIG 2
#define LNS_ICMP6_TIME_EXCEEDED  3
#define LNS_ICMP6_EXC_HOPLIMIT   0
#define LNS_ICMP6_INFO_MIN       128 /* RFC 4443 section 2.1: below are errors */

/*
 * RFC 1812 section 4.3.2.7 (RFC 1122 section 3.2.2): no ICMP error about
 *  - an ICMP error (any type but echo, echo reply, router advertisement and
 *    solicitation, timestamp, information and address mask messages),
 *  - a fragment other than the first,
 *  - a packet to a multicast or limited-broadcast address (224/3 all told),
 *  - a packet whose source is not one host: 0/8, 127/8, 224/3.
 * PKT: LEN octets from the IPv4 header. A header that cannot be read whole,
 * or an ICMP header that is not there, is not answered either. Subnet
 * broadcasts need the interfaces' prefixes: the control lcore checks those.
 */
bool lns_icmp4_may_answer(const uint8_t *pkt, size_t len);

/*
 * RFC 4443 section 2.4 (e): no ICMPv6 error about
 *  - an ICMPv6 error (type below 128),
 *  - a packet to a multicast address, unless the error is Packet Too Big,
 *  - a packet from the unspecified, loopback or a multicast address;
 * and, like IPv4 (a source that fragments has chosen its sizes already, and
 * only the first fragment says what the packet carries), none about a
 * fragment other than the first. The extension headers are walked (hop-by-
 * hop, routing, destination options, fragment, AH; at most 16 of them) to
 * find the upper layer; a chain that runs past LEN is not answered. TYPE is
 * the error that would be sent.
 */
bool lns_icmp6_may_answer(const uint8_t *pkt, size_t len, uint8_t type);

#endif
