/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The workers' session table.
 *
 * A session is a slot, allocated when the LAC opens the call (ICRQ) and
 * given back when it closes: the slot indexes a flat array of entries (what a
 * worker needs for a packet, two cache lines), each worker's counter row and
 * the Ns counter of the tunnel's data channel. Two ways lead to a slot, with
 * no hashing or key comparison before the entry's line can be asked for:
 *
 *   upstream:   slot = (base + the session ID's low 12 bits) mod table size,
 *               the base one of the tunnel's 16, chosen by the ID's top 4 bits
 *               (one hot line per tunnel): the LNS assigns session IDs, and
 *               chooses one that names a free slot
 *   downstream: the FIB's next hop names the slot (dp/fib.h)
 *
 * A worker checks that the entry holds the packet's IDs.
 *
 * Writer: the control lcore only. Readers: workers, lock-free. An entry is
 * rewritten in place under a sequence count (rte_seqcount: a reader copies
 * what it needs and retries in the rare case it raced a write); a slot is
 * reused only after an RCU QSBR grace period.
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

/* The slots a table for MAX_SESSIONS sessions has (at most LIMIT): a little more than the
 * sessions when a tunnel's sub-windows cannot each span the whole table, so that session IDs
 * naming free slots are found for every one of MAX_SESSIONS (dp/session.c). */
static inline uint32_t lns_session_slots_for(uint32_t max_sessions, uint32_t limit)
{
	uint64_t n = max_sessions;

	if (n > 4096)
		n += n / 32;
	return (uint32_t)(n < limit ? n : limit);
}

struct lns_session_table *lns_session_table_create(unsigned entries, struct rte_rcu_qsbr *qsbr);
void lns_session_table_free(struct lns_session_table *t);
/* Start-up: the VLAN of port index PORT, -1 untagged (for the prebuilt headers). */
void lns_session_table_set_port(struct lns_session_table *t, unsigned port, int vlan);
/* Start-up: our UDP port for L2TP (l2tp.port), the source port of every data message. */
void lns_session_table_set_l2tp_port(struct lns_session_table *t, uint16_t port);

/* Control lcore: TID's sessions are gone (their slots freed): its bases are forgotten. */
void lns_session_tunnel_del(struct lns_session_table *t, uint16_t tid);

/* Control lcore: publish S in its slot (S->slot must be the one its IDs name:
 * lns_session_slot_alloc/take): workers see the new contents. 0 or a negative errno. */
int lns_session_publish(struct lns_session_table *t, const struct lns_dp_session *s);
/* Control lcore: the slot's entry is empty (the IDs lead to nothing). */
int lns_session_withdraw(struct lns_session_table *t, uint16_t tid, uint16_t sid);
/* Control lcore, from its loop: give back what every worker has stopped reading. */
void lns_session_reclaim(struct lns_session_table *t);

/* Control lcore: a free slot for a session of tunnel TID and, in *SID, the session ID that
 * names it, looking in the sub-window of session ID HINT first, from HINT on;
 * LNS_SESSION_SLOT_NONE when none is left (the table is full, or nearly: dp/session.c). A
 * released slot is reused only after an RCU grace period, once every route that named it
 * is gone from every worker's view: a worker may trust what a slot holds. */
uint32_t lns_session_slot_alloc(struct lns_session_table *t, uint16_t tid, uint16_t hint,
				uint16_t *sid);
/* Control lcore: the slot (TID, SID) names, if it is free (tests). */
uint32_t lns_session_slot_take(struct lns_session_table *t, uint16_t tid, uint16_t sid);
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

#define LNS_SESS_SUBWINS 16   /* per tunnel: the session ID's top 4 bits */
#define LNS_SESS_SUBWIN  4096 /* session IDs in one: the low 12 bits */

struct lns_session_table {
	struct lns_dp_session *e; /* n_slots entries */
	uint32_t *tun_base;       /* per tunnel ID, per sub-window: base slot + 1, 0 none */
	uint16_t *ns;             /* n_slots Ns counters */
	uint32_t n_slots;
	/* control lcore only */
	int vlan[LNS_MAX_PORTS]; /* per port: a prebuilt header's tag, -1 untagged */
	uint16_t l2tp_port;      /* our UDP port */
	uint64_t *free_bm;       /* a bit per slot: free to allocate */
	uint32_t *blk_free;      /* free slots per block of LNS_SESS_SUBWIN */
	uint16_t *sub_used;      /* per tunnel ID, per sub-window: sessions in it */
	uint32_t *slot_key;      /* per slot: the tunnel and session ID that took it */
	uint32_t n_blk, blk_cursor;
	uint32_t n_free;
	struct rte_rcu_qsbr *qsbr;
	struct pending_slot {
		uint32_t slot;
		uint64_t token;
	} * pending; /* released slots wait a grace period before reuse */
	uint32_t pend_head, pend_len;
};

/* The slot (TID, SID) names, LNS_SESSION_SLOT_NONE when none: its entry holds the session
 * if any does (check its IDs). No memory read but one of the tunnel's bases, a hot line. */
static inline uint32_t lns_session_slot_in(const uint32_t *tun_base, uint32_t n_slots, uint16_t tid,
					   uint16_t sid)
{
	uint32_t b = __atomic_load_n(&tun_base[tid * LNS_SESS_SUBWINS + sid / LNS_SESS_SUBWIN],
				     __ATOMIC_ACQUIRE),
		 s;

	if (b == 0 || sid == 0)
		return LNS_SESSION_SLOT_NONE;
	s = b - 1 + sid % LNS_SESS_SUBWIN;
	if (s >= n_slots)
		s -= n_slots;
	return s < n_slots ? s : LNS_SESSION_SLOT_NONE;
}

static inline uint32_t lns_session_slot_of(const struct lns_session_table *t, uint16_t tid,
					   uint16_t sid)
{
	return lns_session_slot_in(t->tun_base, t->n_slots, tid, sid);
}

static inline const struct lns_dp_session *lns_session_entry(const struct lns_session_table *t,
							     uint32_t slot)
{
	return &t->e[slot];
}

/* Ask for the lines a packet into SLOT's tunnel reads ahead of it (no slot: nothing): its
 * entry's downstream line and the counter row CTR. NTA: non-temporally, for a table that
 * outgrows the L3 (dp/fwd.c lns_sess_nta). */
static inline void lns_session_prefetch_down(const struct lns_session_table *t, uint32_t slot,
					     const void *ctr, bool nta)
{
	if (slot >= t->n_slots)
		return;
	if (nta) {
		rte_prefetch_non_temporal(&t->e[slot].d);
		rte_prefetch_non_temporal(ctr);
	} else {
		rte_prefetch0(&t->e[slot].d);
		rte_prefetch0_write(ctr);
	}
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

/* What an upstream packet needs of its entry's first line. */
struct lns_dp_up {
	uint8_t mode, flags;
	uint16_t tid, sid, mtu;
	rte_be32_t sub_ip;
};

/* Read those fields consistently: loads straight from the line, no copy of it (a copy costs
 * stores and store-forwarding on every packet). */
static inline void lns_session_read_up(const struct lns_dp_session *e, struct lns_dp_up *out)
{
	uint32_t sn;

	do {
		sn = rte_seqcount_read_begin(&e->sn);
		out->mode = e->mode;
		out->flags = e->flags;
		out->tid = e->tid;
		out->sid = e->sid;
		out->mtu = e->mtu;
		out->sub_ip = e->sub_ip;
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
