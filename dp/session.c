/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Session table (dp/session.h). Writer: the control lcore. Readers: workers.
 *
 * Why not rte_hash: a worker's upstream lookup there is a bucket, a key slot
 * and a memcmp() of the key before the entry can even be asked for: three
 * dependent misses per packet at a million sessions, none of which can be
 * started before the previous one ends. The LNS assigns tunnel and session
 * IDs itself (densely, cp/l2tp_session.c), so the IDs can index arrays
 * directly: a tunnel's directory is hot, its page of 256 session IDs one
 * line, the entry the next, and a worker prefetches each across a burst.
 */
#include <errno.h>
#include <stdio.h>

#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "dp/session.h"

static void free_ptr(void *p, void *e, unsigned n)
{
	RTE_SET_USED(p);
	for (unsigned i = 0; i < n; i++)
		rte_free(((void **)e)[i]);
}

struct lns_session_table *lns_session_table_create(const char *name, unsigned entries,
						   struct rte_rcu_qsbr *qsbr)
{
	char dqname[RTE_RCU_QSBR_DQ_NAMESIZE];
	struct rte_rcu_qsbr_dq_parameters dp = {
		.name = dqname,
		/* Pages and directories waiting for their grace period: a page goes only when its
		 * last session does, so a quarter of the table is plenty; should it fill,
		 * retire() waits for the grace period itself. */
		.size = entries / 4 + 1024,
		.esize = sizeof(void *),
		.trigger_reclaim_limit = 64,
		.max_reclaim_size = 256,
		.free_fn = free_ptr,
		.v = qsbr,
	};
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
	t->e = rte_zmalloc("session_entries", (size_t)entries * sizeof(*t->e),
			   2 * RTE_CACHE_LINE_SIZE);
	t->dir = rte_zmalloc("session_dirs", 65536 * sizeof(*t->dir), RTE_CACHE_LINE_SIZE);
	t->ns = rte_zmalloc("session_ns", (size_t)entries * sizeof(*t->ns), RTE_CACHE_LINE_SIZE);
	t->free_slots = rte_malloc("session_free_slots", (size_t)entries * sizeof(uint32_t), 0);
	t->pending = rte_malloc("session_pending", (size_t)entries * sizeof(*t->pending), 0);
	if (t->e == NULL || t->dir == NULL || t->ns == NULL || t->free_slots == NULL ||
	    t->pending == NULL)
		goto err;
	for (uint32_t i = 0; i < entries; i++) {
		rte_seqcount_init(&t->e[i].sn);
		rte_seqcount_init(&t->e[i].d.sn);
		t->free_slots[i] = entries - 1 - i;
	}
	t->n_free = entries;
	if (qsbr) {
		snprintf(dqname, sizeof(dqname), "%s_dq", name);
		t->dq = rte_rcu_qsbr_dq_create(&dp);
		if (t->dq == NULL)
			goto err;
	}
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
	if (t->dq)
		rte_rcu_qsbr_dq_delete(t->dq);
	if (t->dir) {
		for (unsigned i = 0; i < 65536; i++) {
			struct lns_session_dir *d = t->dir[i];

			if (d == NULL)
				continue;
			for (unsigned p = 0; p < RTE_DIM(d->page); p++)
				rte_free(d->page[p]);
			rte_free(d);
		}
	}
	rte_free(t->e);
	rte_free(t->dir);
	rte_free(t->ns);
	rte_free(t->free_slots);
	rte_free(t->pending);
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

/* Give a page or a directory back once no worker can hold it. */
static void retire(struct lns_session_table *t, void *p)
{
	if (t->dq == NULL) {
		rte_free(p);
		return;
	}
	if (rte_rcu_qsbr_dq_enqueue(t->dq, &p) != 0) {
		/* The queue is sized for the worst case; should it fill, wait. */
		rte_rcu_qsbr_synchronize(t->qsbr, RTE_QSBR_THRID_INVALID);
		rte_free(p);
	}
}

/* The index entry for (tid, sid), creating its directory and page. */
static uint32_t *index_make(struct lns_session_table *t, uint16_t tid, uint16_t sid, bool *fresh)
{
	struct lns_session_dir *d = t->dir[tid];
	unsigned p = sid / LNS_SESS_PAGE;
	uint32_t *pg;

	if (d == NULL) {
		d = rte_zmalloc("session_dir", sizeof(*d), RTE_CACHE_LINE_SIZE);
		if (d == NULL)
			return NULL;
		__atomic_store_n(&t->dir[tid], d, __ATOMIC_RELEASE);
	}
	pg = d->page[p];
	if (pg == NULL) {
		pg = rte_zmalloc("session_page", LNS_SESS_PAGE * sizeof(*pg), RTE_CACHE_LINE_SIZE);
		if (pg == NULL) {
			if (d->n_pages == 0) {
				__atomic_store_n(&t->dir[tid], NULL, __ATOMIC_RELEASE);
				retire(t, d);
			}
			return NULL;
		}
		__atomic_store_n(&d->page[p], pg, __ATOMIC_RELEASE);
		d->n_pages++;
	}
	*fresh = pg[sid % LNS_SESS_PAGE] == 0;
	return &pg[sid % LNS_SESS_PAGE];
}

/* The index entry's session is gone: drop the page and directory that are empty now. */
static void index_drop(struct lns_session_table *t, uint16_t tid, uint16_t sid)
{
	struct lns_session_dir *d = t->dir[tid];
	unsigned p = sid / LNS_SESS_PAGE;

	if (d == NULL || d->page[p] == NULL || d->page[p][sid % LNS_SESS_PAGE] == 0)
		return;
	__atomic_store_n(&d->page[p][sid % LNS_SESS_PAGE], 0, __ATOMIC_RELEASE);
	if (--d->used[p] > 0)
		return;
	retire(t, d->page[p]);
	__atomic_store_n(&d->page[p], NULL, __ATOMIC_RELEASE);
	if (--d->n_pages > 0)
		return;
	__atomic_store_n(&t->dir[tid], NULL, __ATOMIC_RELEASE);
	retire(t, d);
}

int lns_session_publish(struct lns_session_table *t, const struct lns_dp_session *s)
{
	struct lns_dp_session *e, n;
	uint32_t *ix;
	bool fresh = false;

	if (s->slot >= t->n_slots || s->port >= LNS_MAX_PORTS)
		return -EINVAL;
	e = &t->e[s->slot];
	if (e->mode != LNS_SESS_NONE && (e->tid != s->tid || e->sid != s->sid))
		return -EBUSY; /* the slot holds another session */
	ix = index_make(t, s->tid, s->sid, &fresh);
	if (ix == NULL)
		return -ENOMEM;
	if (!fresh && *ix != s->slot + 1)
		return -EEXIST; /* the IDs lead to another slot */
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
	if (fresh) {
		t->dir[s->tid]->used[s->sid / LNS_SESS_PAGE]++;
		__atomic_store_n(ix, s->slot + 1, __ATOMIC_RELEASE);
	}
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
	uint32_t slot = lns_session_index_slot(lns_session_index(t, tid, sid));
	if (slot >= t->n_slots)
		return -ENOENT;
	index_drop(t, tid, sid);
	set_none(&t->e[slot]);
	return 0;
}

/* Move released slots whose grace period is over to the free stack (oldest first). */
static void slots_reclaim(struct lns_session_table *t)
{
	while (t->pend_len) {
		struct pending_slot *ps = &t->pending[t->pend_head];

		if (t->qsbr && rte_rcu_qsbr_check(t->qsbr, ps->token, false) != 1)
			break;
		t->free_slots[t->n_free++] = ps->slot;
		t->pend_head = (t->pend_head + 1) % t->n_slots;
		t->pend_len--;
	}
}

void lns_session_reclaim(struct lns_session_table *t)
{
	if (t->dq)
		rte_rcu_qsbr_dq_reclaim(t->dq, 256, NULL, NULL, NULL);
	slots_reclaim(t);
}

uint32_t lns_session_slot_alloc(struct lns_session_table *t)
{
	if (t->n_free == 0)
		slots_reclaim(t);
	if (t->n_free == 0)
		return LNS_SESSION_SLOT_NONE;
	{
		uint32_t slot = t->free_slots[--t->n_free];

		struct lns_dp_session *e = &t->e[slot];

		/* No worker reads the slot any more (its grace period is over): the next
		 * session's upstream may be another worker's to count. The counts go on from
		 * where they were, as the workers' rows do (a session's are its slot's since it
		 * began: cp/ppp_fwd.c), so that what came late for the last session is kept. */
		__atomic_store_n(&t->ns[slot], 0, __ATOMIC_RELAXED);
		e->up_owner = LNS_SESS_OWNER_NONE;
		return slot;
	}
}

void lns_session_slot_free(struct lns_session_table *t, uint32_t slot)
{
	if (slot >= t->n_slots || t->pend_len + t->n_free >= t->n_slots)
		return;
	if (t->e[slot].mode != LNS_SESS_NONE) {
		/* Freed while still published: no key may lead to it any longer. */
		index_drop(t, t->e[slot].tid, t->e[slot].sid);
		set_none(&t->e[slot]);
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
	uint32_t slot = lns_session_index_slot(lns_session_index(t, tid, sid));

	return lns_session_get_slot(t, slot, out) && out->tid == tid && out->sid == sid;
}
