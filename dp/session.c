/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Session table (dp/session.h). Writer: the control lcore. Readers: workers.
 *
 * Why not rte_hash: a worker's upstream lookup there is a bucket, a key slot
 * and a memcmp() of the key before the entry can even be asked for: three
 * dependent misses per packet at a million sessions, none of which can be
 * started before the previous one ends. Why no index at all: the LNS assigns
 * its tunnel and session IDs itself, so it can choose a session ID that names
 * a free slot: slot = (tunnel's base + session ID) mod table size. A worker
 * then finds the entry from the packet's header and one hot word per tunnel,
 * and asks for the entry's line as soon as it has parsed the header. (A
 * directory of pages of slot numbers cost one more dependent miss per packet:
 * 14 TSC cycles a packet at a million sessions, docs/performance.md.)
 *
 * A tunnel's session IDs fall in 16 sub-windows of 4,096 (the ID's top four
 * bits), each with a base of its own: slot = (base + low twelve bits) mod
 * table size. A sub-window gets its base when the tunnel first needs it,
 * where the table has the most free slots, and a new one when none of the
 * tunnel's sessions is left in it; sub-windows of different tunnels overlap
 * freely, so a tunnel with three sessions holds three slots, no more. A
 * session is refused only when all 16 of its tunnel's sub-windows are full
 * and each still holds one of its sessions: near a full table.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "dp/session.h"

/* Sub-windows are placed on blocks of slots, where the most are free. */
#define BLOCK LNS_SESS_SUBWIN

/* The free slots' bitmap, by hand: rte_bitmap scans the whole map from a position of its
 * own, where allocation wants the first free slot in a given range (find_free). */
static inline void bm_set(uint64_t *bm, uint32_t i)
{
	bm[i / 64] |= 1ULL << (i % 64);
}
static inline void bm_clear(uint64_t *bm, uint32_t i)
{
	bm[i / 64] &= ~(1ULL << (i % 64));
}
static inline bool bm_test(const uint64_t *bm, uint32_t i)
{
	return (bm[i / 64] >> (i % 64)) & 1;
}

struct lns_session_table *lns_session_table_create(unsigned entries, struct rte_rcu_qsbr *qsbr)
{
	struct lns_session_table *t;

	if (entries == 0 || entries >= UINT32_MAX)
		return NULL;
	t = rte_zmalloc("sessions", sizeof(*t), RTE_CACHE_LINE_SIZE);
	if (t == NULL)
		return NULL;
	for (unsigned i = 0; i < LNS_MAX_PORTS; i++)
		t->vlan[i] = -1;
	t->l2tp_port = 1701;
	t->n_slots = entries;
	t->qsbr = qsbr;
	t->n_blk = (entries + BLOCK - 1) / BLOCK;
	t->e = rte_zmalloc("session_entries", (size_t)entries * sizeof(*t->e),
			   2 * RTE_CACHE_LINE_SIZE);
	t->tun_base =
		rte_zmalloc("session_tunnels", 65536 * LNS_SESS_SUBWINS * sizeof(*t->tun_base),
			    RTE_CACHE_LINE_SIZE);
	t->sub_used = calloc(65536 * LNS_SESS_SUBWINS, sizeof(*t->sub_used));
	t->slot_key = malloc((size_t)entries * sizeof(*t->slot_key));
	t->ns = rte_zmalloc("session_ns", (size_t)entries * sizeof(*t->ns), RTE_CACHE_LINE_SIZE);
	t->free_bm = rte_zmalloc("session_free", ((size_t)entries + 63) / 64 * sizeof(uint64_t), 0);
	t->blk_free = rte_zmalloc("session_blocks", (size_t)t->n_blk * sizeof(uint32_t), 0);
	t->pending = rte_malloc("session_pending", (size_t)entries * sizeof(*t->pending), 0);
	if (t->e == NULL || t->tun_base == NULL || t->ns == NULL || t->free_bm == NULL ||
	    t->blk_free == NULL || t->pending == NULL || t->sub_used == NULL || t->slot_key == NULL)
		goto err;
	for (uint32_t i = 0; i < entries; i++) {
		rte_seqcount_init(&t->e[i].sn);
		rte_seqcount_init(&t->e[i].d.sn);
		bm_set(t->free_bm, i);
		t->blk_free[i / BLOCK]++;
	}
	t->n_free = entries;
	return t;
err:
	lns_session_table_free(t);
	return NULL;
}

void lns_session_table_free(struct lns_session_table *t)
{
	if (t == NULL)
		return;
	/* Workers have stopped: everything can go now. */
	rte_free(t->e);
	rte_free(t->tun_base);
	rte_free(t->ns);
	rte_free(t->free_bm);
	rte_free(t->blk_free);
	rte_free(t->pending);
	free(t->sub_used);
	free(t->slot_key);
	rte_free(t);
}

void lns_session_table_set_port(struct lns_session_table *t, unsigned port, int vlan)
{
	if (port < LNS_MAX_PORTS)
		t->vlan[port] = vlan;
}

void lns_session_table_set_l2tp_port(struct lns_session_table *t, uint16_t port)
{
	t->l2tp_port = port;
}

/* Offsets in a sub-window: 0..4095, or fewer in a smaller table. */
static uint32_t subwin_len(const struct lns_session_table *t)
{
	return RTE_MIN((uint32_t)LNS_SESS_SUBWIN, t->n_slots);
}

/* The block with the most free slots, the first from a moving cursor among equals, so
 * that tunnels opened together (every LAC after a restart) spread; UINT32_MAX if none. */
static uint32_t freest_block(struct lns_session_table *t)
{
	uint32_t best = UINT32_MAX, best_free = 0;

	for (uint32_t k = 0; k < t->n_blk; k++) {
		uint32_t b = (t->blk_cursor + k) % t->n_blk;

		if (t->blk_free[b] > best_free) {
			best = b;
			best_free = t->blk_free[b];
		}
	}
	if (best != UINT32_MAX)
		t->blk_cursor = best + 1;
	return best;
}

void lns_session_tunnel_del(struct lns_session_table *t, uint16_t tid)
{
	/* A worker still holding an old base finds entries whose IDs differ: no harm. */
	for (unsigned k = 0; k < LNS_SESS_SUBWINS; k++) {
		__atomic_store_n(&t->tun_base[tid * LNS_SESS_SUBWINS + k], 0, __ATOMIC_RELEASE);
		t->sub_used[tid * LNS_SESS_SUBWINS + k] = 0;
	}
}

/* The first free slot among LEN from FROM on (wrapping), or LNS_SESSION_SLOT_NONE. */
static uint32_t find_free(const struct lns_session_table *t, uint32_t from, uint32_t len)
{
	while (len > 0) {
		uint32_t b = from % 64, take = RTE_MIN(RTE_MIN(64 - b, len), t->n_slots - from);
		uint64_t bits = t->free_bm[from / 64] >> b;

		if (take < 64)
			bits &= (1ULL << take) - 1;
		if (bits)
			return from + (uint32_t)__builtin_ctzll(bits);
		len -= take;
		from += take;
		if (from == t->n_slots)
			from = 0;
	}
	return LNS_SESSION_SLOT_NONE;
}

/* Move released slots whose grace period is over back to the free ones (oldest first). */
void lns_session_reclaim(struct lns_session_table *t)
{
	while (t->pend_len > 0) {
		struct pending_slot *ps = &t->pending[t->pend_head];

		if (t->qsbr && rte_rcu_qsbr_check(t->qsbr, ps->token, false) != 1)
			break;
		bm_set(t->free_bm, ps->slot);
		t->blk_free[ps->slot / BLOCK]++;
		t->n_free++;
		t->pend_head = (t->pend_head + 1) % t->n_slots;
		t->pend_len--;
	}
}

/* SLOT (free) is taken by session (TID, SID). */
static uint32_t take(struct lns_session_table *t, uint32_t slot, uint16_t tid, uint16_t sid)
{
	struct lns_dp_session *e = &t->e[slot];

	bm_clear(t->free_bm, slot);
	t->blk_free[slot / BLOCK]--;
	t->n_free--;
	t->slot_key[slot] = (uint32_t)tid << 16 | sid;
	t->sub_used[tid * LNS_SESS_SUBWINS + sid / LNS_SESS_SUBWIN]++;
	/* No worker reads the slot any more (its grace period is over): the next session's
	 * upstream may be another worker's to count. The counts go on from where they were,
	 * as the workers' rows do (a session's are its slot's since it began: cp/ppp_fwd.c),
	 * so that what came late for the last session is kept. */
	__atomic_store_n(&t->ns[slot], 0, __ATOMIC_RELAXED);
	e->up_owner = LNS_SESS_OWNER_NONE;
	return slot;
}

/* Sub-window K of TID: give it a base where the table is freest, unless it has one that
 * still holds a session of TID (one without sessions moves: a base nobody's session
 * needs costs nothing to change). False when the table has no free slot. */
static bool subwin_place(struct lns_session_table *t, uint16_t tid, unsigned k)
{
	uint32_t *b = &t->tun_base[tid * LNS_SESS_SUBWINS + k], blk;

	if (*b != 0 && t->sub_used[tid * LNS_SESS_SUBWINS + k] > 0)
		return true;
	blk = freest_block(t);
	if (blk == UINT32_MAX)
		return false;
	__atomic_store_n(b, blk * BLOCK + 1, __ATOMIC_RELEASE);
	return true;
}

/* A free slot in sub-window K of TID (which has a base), *SID naming it, at an offset in
 * [FROM, TO) (session ID 0 is not one). */
static uint32_t subwin_find(struct lns_session_table *t, uint16_t tid, unsigned k, uint32_t from,
			    uint32_t to, uint16_t *sid)
{
	uint32_t base = t->tun_base[tid * LNS_SESS_SUBWINS + k] - 1, slot;

	if (k == 0 && from == 0)
		from = 1;
	to = RTE_MIN(to, subwin_len(t));
	if (from >= to)
		return LNS_SESSION_SLOT_NONE;
	slot = find_free(t, (base + from) % t->n_slots, to - from);
	if (slot == LNS_SESSION_SLOT_NONE)
		return slot;
	*sid = (uint16_t)(k * LNS_SESS_SUBWIN + (slot + t->n_slots - base) % t->n_slots);
	return slot;
}

uint32_t lns_session_slot_alloc(struct lns_session_table *t, uint16_t tid, uint16_t hint,
				uint16_t *sid)
{
	unsigned k0 = hint / LNS_SESS_SUBWIN;
	uint32_t off0 = hint % LNS_SESS_SUBWIN, slot;

	if (tid == 0)
		return LNS_SESSION_SLOT_NONE;
	lns_session_reclaim(t);
	/*
	 * IDs go on from the hint, as a moving counter would give them: the rest of the hint's
	 * sub-window, then each of the others (a new or emptied one placed where the table is
	 * freest), and only last the hint's own IDs before it. So a closed session's ID comes
	 * back after the tunnel has gone through its other IDs, not as soon as its slot is free
	 * again: a LAC may still hold it in a message (and a packet for it may still be on its
	 * way), and even a full table has other IDs for the slot, in other sub-windows.
	 */
	for (unsigned i = 0; i <= LNS_SESS_SUBWINS; i++) {
		unsigned k = (k0 + i) % LNS_SESS_SUBWINS;
		uint32_t from = i == 0 ? off0 : 0;
		uint32_t to = i == LNS_SESS_SUBWINS ? off0 : LNS_SESS_SUBWIN;

		if (!subwin_place(t, tid, k))
			return LNS_SESSION_SLOT_NONE; /* not a free slot in the table */
		slot = subwin_find(t, tid, k, from, to, sid);
		if (slot != LNS_SESSION_SLOT_NONE)
			return take(t, slot, tid, *sid);
	}
	return LNS_SESSION_SLOT_NONE;
}

uint32_t lns_session_slot_take(struct lns_session_table *t, uint16_t tid, uint16_t sid)
{
	uint32_t slot;

	if (tid == 0 || sid == 0 || sid % LNS_SESS_SUBWIN >= subwin_len(t) ||
	    !subwin_place(t, tid, sid / LNS_SESS_SUBWIN))
		return LNS_SESSION_SLOT_NONE;
	slot = lns_session_slot_of(t, tid, sid);
	if (slot == LNS_SESSION_SLOT_NONE)
		return slot;
	if (!bm_test(t->free_bm, slot))
		lns_session_reclaim(t);
	if (!bm_test(t->free_bm, slot))
		return LNS_SESSION_SLOT_NONE;
	return take(t, slot, tid, sid);
}

int lns_session_publish(struct lns_session_table *t, const struct lns_dp_session *s)
{
	struct lns_dp_session *e, n;

	if (s->slot >= t->n_slots || s->port >= LNS_MAX_PORTS)
		return -EINVAL;
	if (lns_session_slot_of(t, s->tid, s->sid) != s->slot)
		return -EEXIST; /* the IDs lead to another slot */
	e = &t->e[s->slot];
	if (e->mode != LNS_SESS_NONE && (e->tid != s->tid || e->sid != s->sid))
		return -EBUSY; /* the slot holds another session */
	n = *s;
	lns_fwd_hdr_build(&n, t->vlan[n.port], t->l2tp_port);
	/* Everything but the sequence counts, which readers watch, and the upstream owner's
	 * counters, which that worker writes. */
	rte_seqcount_write_begin(&e->sn);
	rte_seqcount_write_begin(&e->d.sn);
	memcpy((uint8_t *)e + sizeof(e->sn), (uint8_t *)&n + sizeof(n.sn),
	       offsetof(struct lns_dp_session, up_owner) - sizeof(n.sn));
	memcpy(&e->tid, &n.tid,
	       offsetof(struct lns_dp_session, up_pkts) - offsetof(struct lns_dp_session, tid));
	memcpy((uint8_t *)&e->d + sizeof(e->d.sn), (uint8_t *)&n.d + sizeof(n.d.sn),
	       sizeof(n.d) - sizeof(n.d.sn));
	rte_seqcount_write_end(&e->d.sn);
	rte_seqcount_write_end(&e->sn);
	return 0;
}

static void set_none(struct lns_dp_session *e)
{
	rte_seqcount_write_begin(&e->sn);
	rte_seqcount_write_begin(&e->d.sn);
	e->mode = LNS_SESS_NONE;
	e->d.mode = LNS_SESS_NONE;
	rte_seqcount_write_end(&e->d.sn);
	rte_seqcount_write_end(&e->sn);
}

int lns_session_withdraw(struct lns_session_table *t, uint16_t tid, uint16_t sid)
{
	uint32_t slot = lns_session_slot_of(t, tid, sid);
	struct lns_dp_session *e;

	if (slot == LNS_SESSION_SLOT_NONE)
		return -ENOENT;
	e = &t->e[slot];
	if (e->mode == LNS_SESS_NONE || e->tid != tid || e->sid != sid)
		return -ENOENT;
	set_none(e);
	return 0;
}

void lns_session_slot_free(struct lns_session_table *t, uint32_t slot)
{
	if (slot >= t->n_slots || bm_test(t->free_bm, slot) ||
	    t->pend_len + t->n_free >= t->n_slots)
		return;
	if (t->e[slot].mode != LNS_SESS_NONE)
		set_none(&t->e[slot]); /* freed while still published */
	{
		uint32_t key = t->slot_key[slot];
		uint16_t *u = &t->sub_used[(key >> 16) * LNS_SESS_SUBWINS +
					   (key & 0xffff) / LNS_SESS_SUBWIN];

		if (*u > 0) /* (zero: its tunnel was deleted first) */
			(*u)--;
	}
	t->pending[(t->pend_head + t->pend_len) % t->n_slots] = (struct pending_slot){
		.slot = slot,
		.token = t->qsbr ? rte_rcu_qsbr_start(t->qsbr) : 0,
	};
	t->pend_len++;
}

uint16_t lns_session_next_ns(struct lns_session_table *t, uint32_t slot)
{
	return slot < t->n_slots ? __atomic_fetch_add(&t->ns[slot], 1, __ATOMIC_RELAXED) : 0;
}

bool lns_session_get_slot(const struct lns_session_table *t, uint32_t slot,
			  struct lns_dp_session *out)
{
	if (slot >= t->n_slots)
		return false;
	lns_session_read(&t->e[slot], out);
	lns_session_read_down(&t->e[slot], &out->d);
	return out->mode != LNS_SESS_NONE;
}

bool lns_session_get(const struct lns_session_table *t, uint16_t tid, uint16_t sid,
		     struct lns_dp_session *out)
{
	uint32_t slot = lns_session_slot_of(t, tid, sid);

	return lns_session_get_slot(t, slot, out) && out->tid == tid && out->sid == sid;
}
