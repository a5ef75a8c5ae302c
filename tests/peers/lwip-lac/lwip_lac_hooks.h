/* SPDX-License-Identifier: BSD-3-Clause */
/* lwIP hook prototypes for lwip-lac (LWIP_HOOK_FILENAME in lwipopts.h). */
#ifndef LWIP_LAC_HOOKS_H
#define LWIP_LAC_HOOKS_H

#include "lwip/ip4_addr.h"
struct netif;
struct pbuf;

/* Source-based routing: a packet from a PPP session's address leaves by that
 * session's PPP netif (lwIP's own ip4_route only looks at the destination). */
struct netif *lwip_lac_route_src(const ip4_addr_t *src, const ip4_addr_t *dest);
/* --tun6: IPv6 that arrives on session 1's PPP link goes to the TUN device
 * instead of lwIP's stack (1: taken, 0: lwIP's as usual). */
int lwip_lac_ip6_input(struct pbuf *p, struct netif *inp);

#endif
