/* SPDX-License-Identifier: BSD-3-Clause */
/* lwIP hook prototypes for lwip-lac (LWIP_HOOK_FILENAME in lwipopts.h). */
#ifndef LWIP_LAC_HOOKS_H
#define LWIP_LAC_HOOKS_H

#include "lwip/ip4_addr.h"
struct netif;

/* Source-based routing: a packet from a PPP session's address leaves by that
 * session's PPP netif (lwIP's own ip4_route only looks at the destination). */
struct netif *lwip_lac_route_src(const ip4_addr_t *src, const ip4_addr_t *dest);

#endif
