/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The workers' session table.
 *
 * A session is a slot, allocated when the LAC opens the call (ICRQ) and
 * given back when it closes: the slot indexes a flat array of entries (what a
 * worker needs for a packet, two cache lines), each worker's counter row and
 * the Ns counter of the tunnel's data channel. Two ways lead to a slot, each a
 * few dependent array reads with no hashing or key comparison, so that a
 * worker can prefetch every step across a burst:
 *
 *   upstream:   tunnel ID -> the tunnel's page directory -> page of 256
 *               session IDs -> slot (the LNS assigns both IDs, densely)
 *   downstream: the FIB's next hop names the slot (dp/fib.h)
 *
 * Writer: the control lcore only. Readers: workers, lock-free. An entry is
 * rewritten in place under a sequence count (rte_seqcount: a reader copies
 * what it needs and retries in the rare case it raced a write), pages and
 * directories are freed, and slots reused, only after an RCU QSBR grace period.
 */
#ifndef LNS_DP_SESSION_H
#define LNS_DP_SESSION_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_prefetch.h>
#include <rte_ether.h>
#include <rte_seqcount.h>

#include "config/config.h"

enum lns_sess_mode {
	LNS_SESS_NONE = 0,    /* no session in this slot */
	LNS_SESS_PUNT = 1,    /* PPP not up yet: data goes to the control lcore */
	LNS_SESS_FORWARD = 2, /* IP forwarded by the worker */
};

/* flags */
#define LNS_SESS_F_SEQ    0x01 /* the LAC required sequencing: our data messages carry Ns */
#define LNS_SESS_F_ROUTES 0x02 /* framed routes lead here: sources in them are the subscriber's */

/*
 * The downstream half of an entry, one cache line: what a worker needs to put
 * a packet into the session's tunnel. Built by lns_session_publish() from the
 * other fields (dp/fwd.c: lns_fwd_hdr_build). The header in front of a packet
 * is: dst MAC | the port's MAC | b[] (VLAN, EtherType, IPv4, UDP, L2TP with Ns
 * when sequencing, PPP ff 03 0021), b[] kept in the LAST blen octets so that a
 * worker copies it with one fixed-size copy. The IPv4 checksum in b[] is valid
 * for a total length of zero: a worker adds the length (RFC 1624).
 */
#define LNS_SESS_B_MAX (4 + 2 + 20 + 8 + 10 + 4)

struct lns_dp_down {
	rte_seqcount_t sn;
	uint8_t mode;    /* as the entry's */
	uint8_t port;    /* output port index */
	uint8_t l2_len;  /* Ethernet (and VLAN) octets of the header */
	uint8_t hdr_len; /* the whole header: 12 + blen */
	uint16_t mtu;    /* largest inner packet */
	uint8_t dst[6];  /* the LAC's next hop's MAC; zero: looked up per packet */
	uint8_t b[LNS_SESS_B_MAX];
} __rte_cache_aligned;

/*
 * One session as the workers see it: two cache lines, the first read by
 * upstream packets, the second by downstream ones. The control plane fills
 * the fields of the first line; lns_session_publish() builds the second.
 *
 * The first line also holds the session's upstream counters for the one
 * worker that carries its upstream (a tunnel's packets arrive on one queue,
 * or are handed to the session's owner): counting where the packet already
 * reads saves a second line from DRAM per packet at a million sessions. The
 * first worker to count claims them (up_owner); any other counts in its own
 * row (struct lns_sess_ctr). Publishing never writes up_owner or the counters.
 */
#define LNS_SESS_OWNER_NONE 0xff

struct lns_dp_session {
	/* ---- line 1 ---- */
	rte_seqcount_t sn; /* written by the table: readers retry on a change */
	uint8_t mode;      /* enum lns_sess_mode */
	uint8_t port;      /* access port index, where the LAC is reached */
	uint8_t flags;     /* LNS_SESS_F_* */
	uint8_t up_owner;  /* the worker counting upstream below; LNS_SESS_OWNER_NONE: none yet */
	uint16_t tid, sid; /* ours: the upstream key */
	uint16_t peer_tid, peer_sid;  /* theirs: what we put in headers */
	rte_be32_t sub_ip;            /* the subscriber's address (IPCP), 0 before */
	uint32_t slot;                /* from lns_session_slot_alloc() */
	uint16_t mtu;                 /* largest inner packet sent into the tunnel */
	uint16_t peer_port;           /* the LAC's UDP port */
	rte_be32_t local_ip, peer_ip; /* the tunnel's outer addresses */
	rte_be32_t nh_ip;             /* next hop toward the LAC on port (peer_ip if connected) */
	uint64_t lac_mac;           /* nh_ip's MAC (dp/mac64.h), 0 unknown: looked up per packet */
	uint64_t up_pkts, up_bytes; /* up_owner's counts (kept across the slot's sessions) */
	/* ---- line 2 ---- */
	struct lns_dp_down d;
};
_Static_assert(offsetof(struct lns_dp_session, up_pkts) == 48, "the owner's counters end line 1");
_Static_assert(offsetof(struct lns_dp_session, d) == 64, "line 1 is one cache line");
_Static_assert(sizeof(struct lns_dp_session) == 128, "an entry is two cache lines");

/* dp/fwd.c: build S->d from the other fields, the port's VLAN and our L2TP UDP port (publish
 * does). */
void lns_fwd_hdr_build(struct lns_dp_session *s, int vlan, uint16_t l2tp_port);

/* No slot (a session whose PPP never came up, or a full table). */
#define LNS_SESSION_SLOT_NONE UINT32_MAX

struct lns_session_table;
struct rte_rcu_qsbr;

struct lns_session_table *lns_session_table_create(const char *name, unsigned entries,
						   struct rte_rcu_qsbr *qsbr);
void lns_session_table_free(struct lns_session_table *t);
/* Start-up: the VLAN of port index PORT, -1 untagged (for the prebuilt headers). */
void lns_session_table_set_port(struct lns_session_table *t, unsigned port, int vlan);
/* Start-up: our UDP port for L2TP (l2tp.port), the source port of every data message. */
void lns_session_table_set_l2tp_port(struct lns_session_table *t, uint16_t port);

/* Control lcore: publish S in its slot (S->slot must be allocated): the (tid, sid) key
 * leads to it and workers see the new contents. 0 or a negative errno. */
int lns_session_publish(struct lns_session_table *t, const struct lns_dp_session *s);
/* Control lcore: the key no longer leads anywhere and the slot's entry is empty. */
int lns_session_withdraw(struct lns_session_table *t, uint16_t tid, uint16_t sid);
/* Control lcore, from its loop: give back what every worker has stopped reading. */
void lns_session_reclaim(struct lns_session_table *t);

/* Control lcore: a free slot for a new session (LNS_SESSION_SLOT_NONE when full). A
 * released slot is reused only after an RCU grace period, once every route that named it
 * is gone from every worker's view: a worker may trust what a slot holds. */
uint32_t lns_session_slot_alloc(struct lns_session_table *t);
void lns_session_slot_free(struct lns_session_table *t, uint32_t slot);

/* Any lcore: the next Ns of the slot's data channel (RFC 2661 section 3.1), shared by the
 * workers and the control lcore's own PPP frames. */
uint16_t lns_session_next_ns(struct lns_session_table *t, uint32_t slot);

/* For tests and tools: the entry of (tid, sid) or of SLOT (a copy; false when none). */
bool lns_session_get(const struct lns_session_table *t, uint16_t tid, uint16_t sid,
		     struct lns_dp_session *out);
bool lns_session_get_slot(const struct lns_session_table *t, uint32_t slot,
			  struct lns_dp_session *out);

/* ---- workers: inline, lock-free ---- */

#define LNS_SESS_PAGE 256 /* session IDs per page */

struct lns_session_dir {
	uint32_t *page[65536 / LNS_SESS_PAGE]; /* slot + 1 per session ID, 0 none */
	uint16_t used[65536 / LNS_SESS_PAGE];  /* control lcore: live IDs per page */
	uint32_t n_pages;                      /* control lcore */
};

struct lns_session_table {
	struct lns_dp_session *e;     /* n_slots entries */
	struct lns_session_dir **dir; /* 65536 tunnel IDs */
	uint16_t *ns;                 /* n_slots Ns counters */
	uint32_t n_slots;
	/* control lcore only */
	int vlan[LNS_MAX_PORTS]; /* per port: a prebuilt header's tag, -1 untagged */
	uint16_t l2tp_port;      /* our UDP port */
	uint32_t *free_slots;    /* a stack */
	uint32_t n_free;
	struct rte_rcu_qsbr *qsbr;
	struct rte_rcu_qsbr_dq *dq; /* pages and directories waiting for their grace period */
	struct pending_slot {
		uint32_t slot;
		uint64_t token;
	} * pending; /* released slots wait a grace period before reuse */
	uint32_t pend_head, pend_len;
};

/* Where (tid, sid)'s slot is kept, or NULL. Each step can be prefetched. */
static inline const uint32_t *lns_session_index(const struct lns_session_table *t, uint16_t tid,
						uint16_t sid)
{
	const struct lns_session_dir *d = __atomic_load_n(&t->dir[tid], __ATOMIC_ACQUIRE);
	const uint32_t *pg;

	if (d == NULL)
		return NULL;
	pg = __atomic_load_n(&d->page[sid / LNS_SESS_PAGE], __ATOMIC_ACQUIRE);
	return pg ? &pg[sid % LNS_SESS_PAGE] : NULL;
}

/* The slot an index entry holds, LNS_SESSION_SLOT_NONE when none. */
static inline uint32_t lns_session_index_slot(const uint32_t *ix)
{
	return ix ? __atomic_load_n(ix, __ATOMIC_ACQUIRE) - 1 : LNS_SESSION_SLOT_NONE;
}

static inline const struct lns_dp_session *lns_session_entry(const struct lns_session_table *t,
							     uint32_t slot)
{
	return &t->e[slot];
}

/* Copy an entry's first line (upstream) consistently. */
static inline void lns_session_read(const struct lns_dp_session *e, struct lns_dp_session *out)
{
	uint32_t sn;

	do {
		sn = rte_seqcount_read_begin(&e->sn);
		memcpy(out, e, offsetof(struct lns_dp_session, d));
	} while (rte_seqcount_read_retry(&e->sn, sn));
}

/*
 * Worker IDX: count an upstream packet of BYTES octets in SLOT's entry when IDX
 * is, or now becomes, the session's upstream owner (its line is the one the
 * packet read). False: the caller counts it in its own row.
 */
static inline bool lns_session_count_up(const struct lns_session_table *t, uint32_t slot,
					unsigned idx, uint32_t bytes)
{
	struct lns_dp_session *e = &t->e[slot];
	uint8_t o = __atomic_load_n(&e->up_owner, __ATOMIC_RELAXED);

	if (unlikely(o != idx)) {
		if (o != LNS_SESS_OWNER_NONE ||
		    !__atomic_compare_exchange_n(&e->up_owner, &o, (uint8_t)idx, false,
						 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
			return false;
	}
	/* one writer: plain increments, stored whole for the control lcore's reads */
	__atomic_store_n(&e->up_pkts, e->up_pkts + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&e->up_bytes, e->up_bytes + bytes, __ATOMIC_RELAXED);
	return true;
}

/* Copy an entry's second line (downstream) consistently. */
static inline void lns_session_read_down(const struct lns_dp_session *e, struct lns_dp_down *out)
{
	uint32_t sn;

	do {
		sn = rte_seqcount_read_begin(&e->d.sn);
		memcpy(out, &e->d, sizeof(*out));
	} while (rte_seqcount_read_retry(&e->d.sn, sn));
}

#endif
