/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What lns's DHCPv6 server answers (RFC 8415 section 18.3), on one PPP link
 * with one delegated prefix: pure decisions on a message and the link's
 * binding, no I/O (cp/dhcp6.c does that), so the unit tests and the fuzzer
 * run them as they are. Main lcore in lnsd.
 *
 * The prefix is the session's for its whole life (cp/ppp_v6.c routes it when
 * IPv6CP opens); DHCPv6 only tells it to one client, the first IA_PD that
 * asks, and keeps that binding until the client releases it, its valid
 * lifetime runs out unrenewed, or IPv6CP goes down. Another client or IA_PD
 * meanwhile gets NoPrefixAvail (NoBinding in a Renew or Rebind). Addresses
 * are never assigned: an IA_NA or IA_TA gets NoAddrsAvail (NoBinding).
 */
#include <string.h>

#include <rte_jhash.h>

#include "cp/dhcp6.h"

/* Section 21.8: a Preference of 255 tells the client to stop collecting
 * Advertises (section 18.2.1); on a PPP link there is no other server. */
#define DHCP6_PREF_MAX 255

uint32_t dhcp6_t1(uint32_t preferred)
{
	return preferred / 2;
}

uint32_t dhcp6_t2(uint32_t preferred)
{
	return (uint32_t)((uint64_t)preferred * 4 / 5);
}

/* Section 16: which identifiers each message must and must not carry. */
static enum dhcp6_verdict check(const struct dhcp6_server *s, const struct dhcp6_msg *m)
{
	bool sid_ours = m->server_id != NULL && m->server_id_len == s->duid_len &&
			memcmp(m->server_id, s->duid, s->duid_len) == 0;

	switch (m->type) {
	case DHCP6_SOLICIT: /* 16.2 */
	case DHCP6_REBIND:  /* 16.7 */
		if (m->client_id == NULL || m->server_id != NULL)
			return DHCP6_INVALID;
		break;
	case DHCP6_REQUEST: /* 16.4 */
	case DHCP6_RENEW:   /* 16.6 */
	case DHCP6_RELEASE: /* 16.9 */
		if (m->client_id == NULL || m->server_id == NULL)
			return DHCP6_INVALID;
		if (!sid_ours)
			return DHCP6_FOREIGN;
		break;
	case DHCP6_INFORMATION_REQUEST: /* 16.12 */
		if (m->n_ia_all)
			return DHCP6_INVALID;
		if (m->server_id != NULL && !sid_ours)
			return DHCP6_FOREIGN;
		break;
	default:
		return DHCP6_UNSERVED;
	}
	return DHCP6_ANSWER;
}

struct client {
	uint32_t hash;
	uint16_t len;
};

static bool owns(const struct dhcp6_binding *b, uint64_t now, const struct client *c, uint32_t iaid)
{
	return b->until_ms > now && b->duid_hash == c->hash && b->duid_len == c->len &&
	       b->iaid == iaid;
}

static bool ours(const struct dhcp6_server *s, const struct dhcp6_iaprefix *x)
{
	return x->plen == s->plen && memcmp(x->prefix, s->prefix.s6_addr, 16) == 0;
}

static void put_iaprefix(struct dhcp6_buf *o, uint32_t preferred, uint32_t valid, uint8_t plen,
			 const uint8_t prefix[16])
{
	size_t at = dhcp6_open(o, DHCP6_OPT_IAPREFIX);

	dhcp6_put_u32(o, preferred);
	dhcp6_put_u32(o, valid);
	dhcp6_put_raw(o, &plen, 1);
	dhcp6_put_raw(o, prefix, 16);
	dhcp6_close(o, at);
}

/*
 * The IA as answered: IAID, T1 and T2 (none in an IA_TA), our prefix when
 * grant is set, else a status; in a Renew or Rebind (held) the prefixes
 * the client holds that are not ours (any more) with lifetimes 0, so it
 * stops using them (sections 18.3.4, 18.3.5).
 */
static void put_ia(struct dhcp6_buf *o, const struct dhcp6_server *s, const struct dhcp6_ia *ia,
		   bool grant, bool held, uint16_t status, const char *why)
{
	size_t at = dhcp6_open(o, ia->code);
	unsigned n = ia->n_prefixes < DHCP6_MAX_IAPREFIX ? ia->n_prefixes : DHCP6_MAX_IAPREFIX;

	dhcp6_put_u32(o, ia->iaid);
	if (ia->code != DHCP6_OPT_IA_TA) {
		dhcp6_put_u32(o, grant ? dhcp6_t1(s->preferred) : 0);
		dhcp6_put_u32(o, grant ? dhcp6_t2(s->preferred) : 0);
	}
	if (grant)
		put_iaprefix(o, s->preferred, s->valid, s->plen, s->prefix.s6_addr);
	else
		dhcp6_put_status(o, status, why);
	for (unsigned i = 0; held && i < n; i++)
		if (!grant || !ours(s, &ia->prefixes[i]))
			put_iaprefix(o, 0, 0, ia->prefixes[i].plen, ia->prefixes[i].prefix);
	dhcp6_close(o, at);
}

enum dhcp6_verdict dhcp6_serve(const struct dhcp6_server *s, struct dhcp6_binding *b,
			       uint64_t now_ms, const uint8_t *in, size_t len, uint8_t *out,
			       size_t cap, size_t *out_len, struct dhcp6_tally *t)
{
	struct dhcp6_msg m;
	struct dhcp6_buf o;
	struct dhcp6_binding nb = *b; /* applied only when the answer goes */
	struct dhcp6_tally nt = {0};
	struct client c = {0};
	enum dhcp6_verdict v;
	bool advertise, held, given = false;

	if (len == 0)
		return DHCP6_MALFORMED;
	switch (in[0]) { /* before parsing: relay messages have another header */
	case DHCP6_SOLICIT:
	case DHCP6_REQUEST:
	case DHCP6_RENEW:
	case DHCP6_REBIND:
	case DHCP6_RELEASE:
	case DHCP6_INFORMATION_REQUEST:
		break;
	default:
		return DHCP6_UNSERVED; /* Confirm, Decline: no addresses here; the rest not ours */
	}
	if (dhcp6_parse(in, len, &m) < 0)
		return DHCP6_MALFORMED;
	v = check(s, &m);
	if (v != DHCP6_ANSWER)
		return v;
	if (m.client_id != NULL) {
		/* rte_jhash reads whole words: an aligned copy (the DUID lies anywhere) */
		uint32_t w[(DHCP6_DUID_MAX + 3) / 4] = {0};

		memcpy(w, m.client_id, m.client_id_len);
		c.hash = rte_jhash(w, m.client_id_len, 0);
		c.len = m.client_id_len;
	}
	advertise = m.type == DHCP6_SOLICIT && !m.rapid_commit;
	held = m.type == DHCP6_RENEW || m.type == DHCP6_REBIND;
	dhcp6_buf_init(&o, out, cap, advertise ? DHCP6_ADVERTISE : DHCP6_REPLY, m.xid);
	if (m.client_id != NULL)
		dhcp6_put(&o, DHCP6_OPT_CLIENTID, m.client_id, m.client_id_len);
	dhcp6_put(&o, DHCP6_OPT_SERVERID, s->duid, s->duid_len);

	switch (m.type) {
	case DHCP6_RELEASE: /* 18.3.7 */
		for (unsigned i = 0; i < m.n_ia; i++) {
			const struct dhcp6_ia *ia = &m.ia[i];

			if (ia->code == DHCP6_OPT_IA_PD && owns(&nb, now_ms, &c, ia->iaid)) {
				nb.until_ms = 0;
				nt.released++;
			} else {
				put_ia(&o, s, ia, false, false, DHCP6_NO_BINDING, "not bound");
			}
		}
		dhcp6_put_status(&o, DHCP6_SUCCESS, "released");
		break;
	case DHCP6_INFORMATION_REQUEST: /* 18.3.6: the DNS servers below */
		break;
	default: /* Solicit (18.3.1), Request (18.3.2), Renew (18.3.4), Rebind (18.3.5) */
		for (unsigned i = 0; i < m.n_ia; i++) {
			const struct dhcp6_ia *ia = &m.ia[i];

			if (ia->code != DHCP6_OPT_IA_PD) {
				put_ia(&o, s, ia, false, false,
				       held ? DHCP6_NO_BINDING : DHCP6_NO_ADDRS_AVAIL,
				       "no addresses: SLAAC on the link, prefix delegation only");
				continue;
			}
			if (!given && s->plen != 0 &&
			    (nb.until_ms <= now_ms || owns(&nb, now_ms, &c, ia->iaid))) {
				given = true;
				put_ia(&o, s, ia, true, held, 0, NULL);
				if (!advertise) {
					nb.until_ms = now_ms + s->valid * 1000ull;
					nb.duid_hash = c.hash;
					nb.duid_len = c.len;
					nb.iaid = ia->iaid;
					nt.granted++;
				}
				continue;
			}
			nt.refused++;
			put_ia(&o, s, ia, false, held,
			       held ? DHCP6_NO_BINDING : DHCP6_NO_PREFIX_AVAIL,
			       s->plen == 0 ? "no prefix delegated to this session"
					    : "the session's prefix is bound to another IA");
		}
		if (advertise && !given) {
			/* 18.3.9: nothing to assign: the identifiers and NoAddrsAvail, only */
			dhcp6_buf_init(&o, out, cap, DHCP6_ADVERTISE, m.xid);
			dhcp6_put(&o, DHCP6_OPT_CLIENTID, m.client_id, m.client_id_len);
			dhcp6_put(&o, DHCP6_OPT_SERVERID, s->duid, s->duid_len);
			dhcp6_put_status(&o, DHCP6_NO_ADDRS_AVAIL,
					 s->plen == 0 ? "no prefix delegated to this session"
						      : "nothing to assign");
			break;
		}
		if (advertise) {
			const uint8_t pref = DHCP6_PREF_MAX;

			dhcp6_put(&o, DHCP6_OPT_PREFERENCE, &pref, 1);
		}
		if (m.type == DHCP6_SOLICIT && m.rapid_commit) /* 18.3.1: committed at once */
			dhcp6_put(&o, DHCP6_OPT_RAPID_COMMIT, NULL, 0);
		break;
	}
	if (m.oro_dns && s->n_dns && !(advertise && !given)) /* RFC 3646 section 3 */
		dhcp6_put(&o, DHCP6_OPT_DNS_SERVERS, s->dns, 16 * s->n_dns);
	if (o.full)
		return DHCP6_MALFORMED; /* cannot be with DHCP6_MAX_IA; never sent truncated */
	*b = nb;
	t->granted += nt.granted;
	t->refused += nt.refused;
	t->released += nt.released;
	*out_len = o.len;
	return DHCP6_ANSWER;
}
