/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Deferred frees for the control lcore. A defer queue the size of a table is
 * not always enough: an entry replaced in place (punt mode, then forwarding,
 * then punt mode again) or withdrawn waits in the queue beside the entry that
 * took its place, so one session can have several there at once, and a worker
 * preempted on an oversubscribed core holds every grace period open meanwhile
 * (tests/packet/test_churn.c fills it in milliseconds). rte_rcu_qsbr_dq_enqueue
 * then fails and the entry would be lost: wait for the grace period instead.
 */
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "dp/rcu_free.h"

#define RECLAIM_MAX 256

void lns_rcu_free(struct rte_rcu_qsbr_dq *dq, unsigned cap, struct rte_rcu_qsbr *v, void *e)
{
	unsigned pending = cap;

	/* What is due goes first; then there is room unless the readers hold it all. Asked
	 * before enqueueing: a failed rte_rcu_qsbr_dq_enqueue() logs an error. */
	rte_rcu_qsbr_dq_reclaim(dq, RECLAIM_MAX, NULL, &pending, NULL);
	if (pending < cap && rte_rcu_qsbr_dq_enqueue(dq, &e) == 0)
		return;
	/* Blocks while a preempted worker is away: rare, and better than a leak. */
	rte_rcu_qsbr_synchronize(v, RTE_QSBR_THRID_INVALID);
	rte_free(e);
}
