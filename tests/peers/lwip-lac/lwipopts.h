/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP configuration of the lwip-lac test peer (tests/peers/lwip-lac/main.c):
 * a bare-metal style (NO_SYS) stack with one Ethernet netif on a TAP device
 * and up to LAC_MAX_SESSIONS PPPoL2TP client sessions over it.
 *
 * It shadows the Debian port's port/include/lwipopts.h: build.sh puts this
 * directory first on the include path, and force-includes this file first in
 * every translation unit.
 */
#ifndef LWIP_LAC_LWIPOPTS_H
#define LWIP_LAC_LWIPOPTS_H

/* How many PPPoL2TP sessions (each with its own tunnel) one process runs:
 * one netif each, and lwIP numbers netifs with a u8_t. */
#define LAC_MAX_SESSIONS 250

/* --- system: one thread, no OS abstraction, libc's malloc behind every pool */
#define NO_SYS                    1
#define SYS_LIGHTWEIGHT_PROT      0
#define LWIP_SOCKET               0
#define LWIP_NETCONN              0
#define LWIP_SINGLE_NETIF         0
#define MEM_LIBC_MALLOC           1
#define MEMP_MEM_MALLOC           1 /* no pool runs dry before malloc does */
#define MEM_ALIGNMENT             8
#define LWIP_NETIF_TX_SINGLE_PBUF 1

/* Pool sizes still size the timeout count and a few arrays: room for every
 * session (one PPP pcb, one PPPoL2TP pcb and one UDP pcb each). */
#define MEMP_NUM_PPP_PCB             (LAC_MAX_SESSIONS + 2)
#define MEMP_NUM_PPPOL2TP_INTERFACES (LAC_MAX_SESSIONS + 2)
#define MEMP_NUM_UDP_PCB             (LAC_MAX_SESSIONS + 8)
#define MEMP_NUM_SYS_TIMEOUT         (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 8)
#define PBUF_POOL_SIZE               512
#define MEMP_NUM_PBUF                512
#define PBUF_POOL_BUFSIZE            1600

/* --- protocols */
#define LWIP_IPV4                     1
#define LWIP_IPV6                     1
#define LWIP_ARP                      1
#define ETHARP_SUPPORT_STATIC_ENTRIES 0
#define ARP_QUEUEING                  1
/* Every session's first SCCRQ waits for the LNS's MAC: queue them all (a
 * full queue drops the oldest, which then waits 5 s for lwIP's retry). */
#define ARP_QUEUE_LEN                      (LAC_MAX_SESSIONS + 16)
#define MEMP_NUM_ARP_QUEUE                 (LAC_MAX_SESSIONS + 16)
#define LWIP_ND6_QUEUEING                  1
#define MEMP_NUM_ND6_QUEUE                 (LAC_MAX_SESSIONS + 16)
#define LWIP_ICMP                          1 /* answers echo requests on the PPP addresses */
#define LWIP_RAW                           1 /* --ping6: ICMPv6 echo from the sessions */
#define LWIP_UDP                           1
#define LWIP_TCP                           1
#define LWIP_DNS                           1 /* so that IPCP asks for (and records) DNS servers */
#define LWIP_DHCP                          0
#define LWIP_AUTOIP                        0
#define LWIP_IGMP                          0
#define IP_FORWARD                         0
#define IP_REASSEMBLY                      1
#define IP_FRAG                            1
#define LWIP_IPV6_FORWARD                  0
#define LWIP_IPV6_MLD                      1
#define MEMP_NUM_MLD6_GROUP                (2 * LAC_MAX_SESSIONS + 8)
#define LWIP_IPV6_AUTOCONFIG               1 /* SLAAC on the PPP links, if the LNS sends RAs */
#define LWIP_IPV6_SEND_ROUTER_SOLICIT      1
#define LWIP_IPV6_DUP_DETECT_ATTEMPTS      1
#define LWIP_IPV6_NUM_ADDRESSES            3
#define LWIP_IPV6_DHCP6                    0
#define LWIP_RANDOMIZE_INITIAL_LOCAL_PORTS 1
#define LWIP_NETIF_STATUS_CALLBACK         0
#define LWIP_NETIF_LINK_CALLBACK           0
#define LWIP_STATS                         0
#define LWIP_CHECKSUM_ON_COPY              0
#define CHECKSUM_GEN_IP                    1
#define CHECKSUM_GEN_UDP                   1
#define CHECKSUM_CHECK_IP                  1
#define CHECKSUM_CHECK_UDP                 1

/* --- PPP */
#define PPP_SUPPORT                 1
#define PPPOS_SUPPORT               0
#define PPPOE_SUPPORT               0
#define PPPOL2TP_SUPPORT            1
#define PPPOL2TP_AUTH_SUPPORT       1 /* L2TP tunnel authentication (Challenge AVPs) */
#define PPP_IPV4_SUPPORT            1
#define PPP_IPV6_SUPPORT            1
#define PPP_NOTIFY_PHASE            1
#define PAP_SUPPORT                 1
#define CHAP_SUPPORT                1
#define MSCHAP_SUPPORT              1
#define EAP_SUPPORT                 0
#define CCP_SUPPORT                 0
#define MPPE_SUPPORT                0
#define VJ_SUPPORT                  0
#define LQR_SUPPORT                 0
#define PPP_SERVER                  0
#define PPP_IDLETIMELIMIT           0
#define PPP_MAXCONNECT              0
#define LWIP_INCLUDED_POLARSSL_MD4  1
#define LWIP_INCLUDED_POLARSSL_MD5  1
#define LWIP_INCLUDED_POLARSSL_SHA1 1
#define LWIP_INCLUDED_POLARSSL_DES  1
/* LCP echo: compiled in; per session interval and tolerance come from the
 * command line (--echo-interval, --echo-fails: lcp_echo_interval/fails). */
#define LCP_ECHOINTERVAL 0
#define LCP_MAXECHOFAILS 3
#define PPP_LCP_ADAPTIVE 0

/* --- debugging: compiled in, off until --debug (lwip_lac_debug, main.c).
 * Messages go to stderr, so stdout keeps only the event lines. */
#define LWIP_DEBUG 1
extern unsigned char lwip_lac_debug;
extern void lwip_lac_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define LWIP_DBG_TYPES_ON lwip_lac_debug
#define LWIP_PLATFORM_DIAG(x)                                                                      \
	do {                                                                                       \
		lwip_lac_diag x;                                                                   \
	} while (0)
#define PPP_DEBUG    LWIP_DBG_ON
#define ETHARP_DEBUG LWIP_DBG_OFF
#define NETIF_DEBUG  LWIP_DBG_OFF

/* --- hooks: replies sourced from a PPP address leave by that PPP link; --tun6 */
#define LWIP_HOOK_FILENAME                 "lwip_lac_hooks.h"
#define LWIP_HOOK_IP4_ROUTE_SRC(src, dest) lwip_lac_route_src((src), (dest))
/* --tun6: session 1's IPv6 to a TUN device (main.c) */
#define LWIP_HOOK_IP6_INPUT(p, inp) lwip_lac_ip6_input((p), (inp))

#endif /* LWIP_LAC_LWIPOPTS_H */
