/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Freeing what workers may still read, for the control lcore (the only
 * writer of the tables that use it).
 */
#ifndef LNS_DP_RCU_FREE_H
#define LNS_DP_RCU_FREE_H

struct rte_rcu_qsbr;
struct rte_rcu_qsbr_dq;

/*
 * rte_free(E) once every reader of V has been quiescent: through DQ (created
 * with room for CAP elements of one pointer each), or, when DQ is full, after
 * waiting for that grace period here.
 */
void lns_rcu_free(struct rte_rcu_qsbr_dq *dq, unsigned cap, struct rte_rcu_qsbr *v, void *e);

#endif
