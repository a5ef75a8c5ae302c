/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage one of a burst, inline: the common upstream frame matched against its
 * port's template (dp/classify.c lns_port_up_template says what it holds),
 * then IPv4 to route against the port's other template (lns_classify_routed,
 * out of line: inline here it slowed the upstream loop), every other frame
 * through the checks (lns_classify_checked).
 */
#ifndef LNS_DP_CLASSIFY_H
#define LNS_DP_CLASSIFY_H

#include <string.h>

#include <rte_mbuf.h>

#include "dp/dp.h"
#include "dp/session.h"

#define LNS_UP_T_LEN 48

static __rte_always_inline uint16_t lns_be16_at(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

/* What a burst's stages read of RT (struct lns_burst), once a burst. */
static inline struct lns_burst lns_burst_of(const struct lns_runtime *rt)
{
	return (struct lns_burst){
		.tun_base = rt->sessions->tun_base,
		.sess = rt->sessions->e,
		.n_slots = rt->sessions->n_slots,
		.l2tp_port = rt->l2tp_port,
	};
}

static __rte_always_inline enum lns_verdict lns_classify(const struct lns_burst *b,
							 const struct lns_port *p,
							 struct rte_mbuf *m, struct lns_pctx *x)
{
	const uint8_t *d = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t l2 = p->up_l2, len = rte_pktmbuf_pkt_len(m);
	uint64_t diff = 0;
	uint16_t tot, in_tot;

	/* The template's 12 + 48 octets, and the inner IPv4 header whole. */
	if (l2 == 0 || rte_pktmbuf_data_len(m) < l2 + 58)
		return lns_classify_routed(b, p, m, x);
	/* First the eight octets with the outer destination (most of it when tagged): other
	 * traffic leaves here. */
	memcpy(&diff, d + 12 + 16, sizeof(diff));
	if (((diff ^ p->up_val[2]) & p->up_mask[2]) != 0)
		return lns_classify_routed(b, p, m, x);
	diff = 0;
	for (unsigned k = 0; k < LNS_UP_T_LEN / 8; k++) {
		uint64_t v;

		memcpy(&v, d + 12 + 8 * k, sizeof(v));
		diff |= (v ^ p->up_val[k]) & p->up_mask[k];
	}
	tot = lns_be16_at(d + l2 + 2);
	in_tot = lns_be16_at(d + l2 + 40);
	if (diff != 0 || tot < 20 || l2 + tot > len || in_tot < 20 || l2 + 38 + in_tot > len)
		return lns_classify_checked(b, p, m, x);
	m->hash.usr = LNS_PUNT_FRAME;
	x->kind = LNS_PK_UP;
	x->up_v = LNS_V_PENDING;
	x->l2_len = (uint8_t)l2;
	x->l3_len = 20;
	x->inner6 = 0;
	x->ip_off = (uint16_t)(l2 + 38);
	x->ip_len = in_tot;
	x->tid = lns_be16_at(d + l2 + 30);
	x->sid = lns_be16_at(d + l2 + 32);
	memcpy(&x->dst, d + l2 + 38 + 16, sizeof(x->dst));
	x->slot = lns_session_slot_in(b->tun_base, b->n_slots, x->tid, x->sid);
	return LNS_V_PENDING;
}

#endif
