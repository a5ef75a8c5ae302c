/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Session table. Writer: the control lcore. Readers: workers, lock-free
 * (RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF); the hash's own key slots and our
 * entries are reclaimed through RCU QSBR defer queues.
 */
#include <errno.h>
#include <stdio.h>

#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "dp/rcu_free.h"
#include "dp/session.h"

struct lns_session_table {
	struct rte_hash *h;
	struct rte_rcu_qsbr_dq *dq; /* entries waiting for their grace period */
	/* downstream: slot -> the entry published for it (same pointer as in h) */
	struct lns_dp_session **slots;
	uint32_t n_slots;
	uint32_t *free_slots; /* a stack, control lcore only */
	uint32_t n_free;
	/* Released slots wait a grace period before reuse: a worker that read the
	 * FIB before the session's routes went may still name the slot. */
	struct rte_rcu_qsbr *qsbr;
	struct pending_slot {
		uint32_t slot;
		uint64_t token;
	} *pending;
	uint32_t pend_head, pend_len; /* a ring of n_slots entries */
};

static void slots_reclaim(struct lns_session_table *t);

static uint32_t key_of(uint16_t tid, uint16_t sid)
{
	return (uint32_t)tid << 16 | sid;
}

static void free_entry(void *p, void *e, unsigned n)
{
	RTE_SET_USED(p);
	for (unsigned i = 0; i < n; i++)
		rte_free(((void **)e)[i]);
}

struct lns_session_table *lns_session_table_create(const char *name, unsigned entries,
						   struct rte_rcu_qsbr *qsbr)
{
	char dqname[RTE_RCU_QSBR_DQ_NAMESIZE];
	struct rte_hash_parameters p = {
		.name = name,
		/* A cuckoo table fills before 100 %: room to spare, and an extendable
		 * bucket table, so that `entries` sessions always fit. */
		.entries = entries + entries / 8 + 64,
		.key_len = sizeof(uint32_t),
		.hash_func = rte_hash_crc,
		.socket_id = SOCKET_ID_ANY,
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF | RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
	};
	struct rte_hash_rcu_config hrc = {.v = qsbr, .mode = RTE_HASH_QSBR_MODE_DQ};
	struct rte_rcu_qsbr_dq_parameters dp = {
		.name = dqname,
		.size = entries,
		.esize = sizeof(void *),
		.trigger_reclaim_limit = 64,
		.max_reclaim_size = 256,
		.free_fn = free_entry,
		.v = qsbr,
	};
	struct lns_session_table *t = rte_zmalloc("sessions", sizeof(*t), 0);

	if (t == NULL)
		return NULL;
	snprintf(dqname, sizeof(dqname), "%s_dq", name);
	t->h = rte_hash_create(&p);
	if (t->h == NULL || rte_hash_rcu_qsbr_add(t->h, &hrc) != 0)
		goto err;
	t->dq = rte_rcu_qsbr_dq_create(&dp);
	if (t->dq == NULL)
		goto err;
	t->n_slots = entries;
	t->slots = rte_zmalloc("session_slots", entries * sizeof(*t->slots), RTE_CACHE_LINE_SIZE);
	t->free_slots = rte_malloc("session_free_slots", entries * sizeof(uint32_t), 0);
	if (t->slots == NULL || t->free_slots == NULL)
		goto err;
	for (uint32_t i = 0; i < entries; i++)
		t->free_slots[i] = entries - 1 - i;
	t->n_free = entries;
	t->qsbr = qsbr;
	t->pending = rte_malloc("session_pending", entries * sizeof(*t->pending), 0);
	if (t->pending == NULL)
		goto err;
	return t;
err:
	lns_session_table_free(t);
	return NULL;
}

void lns_session_table_free(struct lns_session_table *t)
{
	uint32_t next = 0;
	const void *key;
	void *data;

	if (t == NULL)
		return;
	/* Workers have stopped: everything can go now. */
	while (t->h && rte_hash_iterate(t->h, &key, &data, &next) >= 0)
		rte_free(data);
	if (t->dq)
		rte_rcu_qsbr_dq_delete(t->dq);
	rte_hash_free(t->h);
	rte_free(t->slots);
	rte_free(t->free_slots);
	rte_free(t->pending);
	rte_free(t);
}

int lns_session_publish(struct lns_session_table *t, const struct lns_dp_session *s)
{
	uint32_t k = key_of(s->tid, s->sid);
	struct lns_dp_session *e = rte_malloc("session", sizeof(*e), RTE_CACHE_LINE_SIZE);
	void *old = NULL;
	int ret;

	if (e == NULL)
		return -ENOMEM;
	*e = *s;
	if (rte_hash_lookup_data(t->h, &k, &old) < 0)
		old = NULL;
	ret = rte_hash_add_key_data(t->h, &k, e); /* one atomic store for readers */
	if (ret < 0) {
		rte_free(e);
		return ret;
	}
	if (s->slot < t->n_slots)
		__atomic_store_n(&t->slots[s->slot], e, __ATOMIC_RELEASE);
	if (old)
		lns_rcu_free(t->dq, t->n_slots, t->qsbr, old);
	return 0;
}

int lns_session_withdraw(struct lns_session_table *t, uint16_t tid, uint16_t sid)
{
	uint32_t k = key_of(tid, sid);
	void *old;
	int32_t ret;

	if (rte_hash_lookup_data(t->h, &k, &old) < 0)
		return -ENOENT;
	{
		const struct lns_dp_session *e = old;

		if (e->slot < t->n_slots && t->slots[e->slot] == e)
			__atomic_store_n(&t->slots[e->slot], NULL, __ATOMIC_RELEASE);
	}
	ret = rte_hash_del_key(t->h, &k);
	if (ret < 0)
		return ret;
	lns_rcu_free(t->dq, t->n_slots, t->qsbr, old);
	return 0;
}

void lns_session_reclaim(struct lns_session_table *t)
{
	rte_rcu_qsbr_dq_reclaim(t->dq, 256, NULL, NULL, NULL);
	slots_reclaim(t);
}

const struct lns_dp_session *lns_session_lookup(const struct lns_session_table *t, uint16_t tid,
						uint16_t sid)
{
	uint32_t k = key_of(tid, sid);
	void *data;

	if (rte_hash_lookup_data(t->h, &k, &data) < 0)
		return NULL;
	return data;
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

uint32_t lns_session_slot_alloc(struct lns_session_table *t)
{
	if (t->n_free == 0)
		slots_reclaim(t);
	return t->n_free ? t->free_slots[--t->n_free] : LNS_SESSION_SLOT_NONE;
}

void lns_session_slot_free(struct lns_session_table *t, uint32_t slot)
{
	if (slot >= t->n_slots || t->pend_len + t->n_free >= t->n_slots)
		return;
	t->pending[(t->pend_head + t->pend_len) % t->n_slots] = (struct pending_slot){
		.slot = slot,
		.token = t->qsbr ? rte_rcu_qsbr_start(t->qsbr) : 0,
	};
	t->pend_len++;
}

const struct lns_dp_session *lns_session_by_slot(const struct lns_session_table *t,
						 uint32_t slot)
{
	return slot < t->n_slots ? __atomic_load_n(&t->slots[slot], __ATOMIC_ACQUIRE) : NULL;
}
