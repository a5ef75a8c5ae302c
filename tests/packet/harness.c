/* SPDX-License-Identifier: BSD-3-Clause */
/* The packet tests' shared environment and frames (harness.h). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>
#include <rte_udp.h>

#include "dp/fib.h"
#include "dp/mac64.h"
#include "dp/neigh.h"

#include "harness.h"

const struct rte_ether_addr acc_gw_mac = {{0x02, 0xac, 0, 0, 0, 0xfe}};
const struct rte_ether_addr core_gw_mac = {{0x02, 0xc0, 0, 0, 0, 0xfe}};

struct pkt_env E;

static char eal_rundir[PATH_MAX];

/* ---------------------------------------------------------------- set-up */

static int port_start(unsigned idx, unsigned ring_size)
{
	struct lns_runtime *rt = E.rt;
	const struct lns_port_cfg *pc = &E.cfg->ports[idx];
	struct lns_port *p = &rt->ports[idx];
	struct rte_eth_conf conf = {.rxmode = {.mtu = pc->mtu}};
	unsigned nq = E.nq;
	char name[RTE_RING_NAMESIZE];
	int ret, id;

	for (unsigned q = 0; q < nq; q++) {
		snprintf(name, sizeof(name), "pkt_rx%u_%u", idx, q);
		E.rxr[idx][q] = rte_ring_create(name, ring_size, rte_socket_id(),
						RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "pkt_tx%u_%u", idx, q);
		E.txr[idx][q] = rte_ring_create(name, ring_size, rte_socket_id(),
						RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (E.rxr[idx][q] == NULL || E.txr[idx][q] == NULL)
			return -ENOMEM;
	}
	id = rte_eth_from_rings(pc->device, E.rxr[idx], nq, E.txr[idx], nq, rte_socket_id());
	if (id < 0)
		return -EINVAL;
	p->port_id = (uint16_t)id;
	ret = rte_eth_dev_configure(p->port_id, (uint16_t)nq, (uint16_t)nq, &conf);
	for (unsigned q = 0; ret == 0 && q < nq; q++) {
		ret = rte_eth_rx_queue_setup(p->port_id, (uint16_t)q, (uint16_t)ring_size,
					     rte_socket_id(), NULL, rt->pool);
		if (ret == 0)
			ret = rte_eth_tx_queue_setup(p->port_id, (uint16_t)q, (uint16_t)ring_size,
						     rte_socket_id(), NULL);
	}
	if (ret == 0)
		ret = rte_eth_dev_start(p->port_id);
	if (ret < 0)
		return ret;
	E.ports_up[idx] = true;
	memcpy(p->mac.addr_bytes, pc->mac, 6); /* net_ring has no MAC worth having */
	return lns_port_fill(rt, idx, p->port_id, (uint16_t)nq);
}

int pkt_setup(const struct pkt_opts *o)
{
	char err[256], file[64];

	if (o->nq > PKT_NQ_MAX) {
		fprintf(stderr, "%s: %u queues, at most %u\n", o->name, o->nq, PKT_NQ_MAX);
		return -1;
	}
	E.nq = o->nq;
	snprintf(file, sizeof(file), "%s.yaml", o->name);
	E.cfg = lns_config_parse(file, o->yaml, strlen(o->yaml), err, sizeof(err));
	if (E.cfg == NULL) {
		fprintf(stderr, "config: %s\n", err);
		return -1;
	}
	E.rt = rte_zmalloc("test_rt", sizeof(*E.rt), RTE_CACHE_LINE_SIZE);
	if (E.rt == NULL || lns_runtime_init(E.rt, E.cfg, E.cfg->dataplane.mbufs, NULL) < 0) {
		fprintf(stderr, "lns_runtime_init failed\n");
		return -1;
	}
	if (E.rt->n_workers != o->n_workers) {
		fprintf(stderr, "expected %u worker lcores, got %u\n", o->n_workers,
			E.rt->n_workers);
		return -1;
	}
	E.w = &E.rt->workers[0];
	for (unsigned i = 0; i < RTE_MAX_ETHPORTS; i++)
		E.rt->port_by_id[i] = -1;
	if (E.cfg->n_ports > PKT_PORTS_MAX) {
		fprintf(stderr, "%s: %zu ports, at most %u\n", o->name, E.cfg->n_ports,
			PKT_PORTS_MAX);
		return -1;
	}
	for (unsigned i = 0; i < E.cfg->n_ports; i++) {
		int ret = port_start(i, o->ring_size);

		E.rt->n_ports = i + 1;
		if (ret < 0) {
			fprintf(stderr, "port %u: %d\n", i, ret);
			return -1;
		}
	}
	if (lns_fib_fill(E.rt) < 0)
		return -1;
	if (o->rcu_main) {
		/* online, quiescent when the test says so */
		if (rte_rcu_qsbr_thread_register(E.rt->qsbr, 0) != 0)
			return -1;
		rte_rcu_qsbr_thread_online(E.rt->qsbr, 0);
		E.rcu_main = true;
	}
	return 0;
}

int pkt_neigh4(unsigned port, uint32_t ip, const struct rte_ether_addr *mac)
{
	rte_be32_t a = rte_cpu_to_be_32(ip);

	return lns_neigh_set(E.rt->neigh, port, AF_INET, &a, mac);
}

void pkt_teardown(void)
{
	struct lns_runtime *rt = E.rt;

	if (rt) {
		if (E.rcu_main) {
			rte_rcu_qsbr_thread_offline(rt->qsbr, 0);
			rte_rcu_qsbr_thread_unregister(rt->qsbr, 0);
		}
		for (unsigned i = 0; i < PKT_PORTS_MAX; i++)
			if (E.ports_up[i]) {
				rte_eth_dev_stop(rt->ports[i].port_id);
				rte_eth_dev_close(rt->ports[i].port_id);
			}
		/* what a failed case left on the rings goes back before its pool does */
		for (unsigned i = 0; i < PKT_PORTS_MAX; i++)
			for (unsigned q = 0; q < E.nq; q++) {
				struct rte_mbuf *m;

				while (E.rxr[i][q] &&
				       rte_ring_dequeue(E.rxr[i][q], (void **)&m) == 0)
					rte_pktmbuf_free(m);
				while (E.txr[i][q] &&
				       rte_ring_dequeue(E.txr[i][q], (void **)&m) == 0)
					rte_pktmbuf_free(m);
			}
		lns_runtime_fini(rt);
		rte_free(rt);
	}
	for (unsigned i = 0; i < PKT_PORTS_MAX; i++)
		for (unsigned q = 0; q < E.nq; q++) {
			rte_ring_free(E.rxr[i][q]);
			rte_ring_free(E.txr[i][q]);
		}
	lns_config_free(E.cfg);
	memset(&E, 0, sizeof(E));
}

/* ------------------------------------------------------------------- EAL */

int pkt_eal_init(const char *name, const char *lcores)
{
	char prefix[64];
	char *argv[] = {(char *)name,     "--no-huge",     "-m",   "256",      "--no-pci",
			"--no-telemetry", "--file-prefix", prefix, "--lcores", (char *)lcores,
			"--log-level",    "lib.eal:error", NULL};

	if (geteuid() != 0) {
		fprintf(stderr, "%s: needs root (EAL); skipped\n", name);
		return 77; /* meson: skipped */
	}
	snprintf(prefix, sizeof(prefix), "lns%s%d", name, (int)getpid());
	if (rte_eal_init((int)RTE_DIM(argv) - 1, argv) < 0) {
		fprintf(stderr, "%s: EAL init failed\n", name);
		return 1;
	}
	snprintf(eal_rundir, sizeof(eal_rundir), "%s", rte_eal_get_runtime_dir());
	return 0;
}

/* EAL leaves its runtime directory (/var/run/dpdk/<prefix>) behind: remove it. */
static void runtime_dir_remove(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[PATH_MAX + 256];

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

void pkt_eal_fini(void)
{
	rte_eal_cleanup();
	runtime_dir_remove(eal_rundir);
}

/* -------------------------------------------------------------- sessions */

struct lns_dp_session pkt_session(uint16_t tid, uint16_t sid, uint16_t ptid, uint16_t psid)
{
	struct lns_dp_session s = {0};

	s.tid = tid;
	s.sid = sid;
	s.peer_tid = ptid;
	s.peer_sid = psid;
	s.local_ip = rte_cpu_to_be_32(LNS_ACC_IP);
	s.peer_ip = rte_cpu_to_be_32(LAC_IP);
	s.peer_port = LAC_PORT;
	s.port = ACC;
	s.nh_ip = rte_cpu_to_be_32(ACC_GW);
	s.mode = LNS_SESS_FORWARD;
	return s;
}

uint32_t take_slot(uint16_t tid, uint16_t sid)
{
	return lns_session_slot_take(E.rt->sessions, tid, sid);
}

uint32_t publish_ex(uint16_t tid, uint16_t sid, uint16_t ptid, uint16_t psid, uint32_t sub_ip,
		    uint16_t mtu, uint8_t flags, const struct rte_ether_addr *lac_mac)
{
	struct lns_dp_session s = pkt_session(tid, sid, ptid, psid);

	s.flags = flags;
	s.lac_mac = lac_mac ? lns_mac64(lac_mac) : 0;
	s.sub_ip = rte_cpu_to_be_32(sub_ip);
	s.mtu = mtu;
	s.slot = take_slot(tid, sid);
	assert_int_not_equal(s.slot, LNS_SESSION_SLOT_NONE);
	assert_int_equal(lns_session_publish(E.rt->sessions, &s), 0);
	assert_int_equal(lns_fib_add_session(E.rt->fib, s.sub_ip, s.slot), 0);
	return s.slot;
}

uint32_t publish(uint16_t tid, uint16_t sid, uint16_t ptid, uint16_t psid, uint32_t sub_ip,
		 uint16_t mtu)
{
	return publish_ex(tid, sid, ptid, psid, sub_ip, mtu, 0, NULL);
}

void withdraw(uint16_t tid, uint16_t sid, uint32_t sub_ip, uint32_t slot)
{
	assert_int_equal(lns_fib_del_session(E.rt->fib, rte_cpu_to_be_32(sub_ip)), 0);
	assert_int_equal(lns_session_withdraw(E.rt->sessions, tid, sid), 0);
	lns_session_slot_free(E.rt->sessions, slot);
}

/* ---------------------------------------------------------------- frames */

void put(struct rte_mbuf *m, const void *src, size_t len)
{
	char *p = rte_pktmbuf_append(m, (uint16_t)len);

	assert_non_null(p);
	memcpy(p, src, len);
}

void put_eth(struct rte_mbuf *m, const struct rte_ether_addr *dst, const struct rte_ether_addr *src,
	     uint16_t type)
{
	struct rte_ether_hdr eth = {
		.dst_addr = *dst, .src_addr = *src, .ether_type = rte_cpu_to_be_16(type)};

	put(m, &eth, sizeof(eth));
}

void ip_hdr(uint8_t *buf, uint32_t src, uint32_t dst, uint8_t ttl, size_t tot, uint16_t frag,
	    uint8_t proto)
{
	struct rte_ipv4_hdr ip = {0};

	ip.version_ihl = RTE_IPV4_VHL_DEF;
	ip.total_length = rte_cpu_to_be_16((uint16_t)tot);
	ip.packet_id = RTE_BE16(0x1234);
	ip.fragment_offset = rte_cpu_to_be_16(frag);
	ip.time_to_live = ttl;
	ip.next_proto_id = proto;
	ip.src_addr = rte_cpu_to_be_32(src);
	ip.dst_addr = rte_cpu_to_be_32(dst);
	ip.hdr_checksum = rte_ipv4_cksum(&ip);
	memcpy(buf, &ip, sizeof(ip));
}

size_t inner_ip(uint8_t *buf, uint32_t src, uint32_t dst, uint8_t ttl, size_t tot, uint16_t frag)
{
	ip_hdr(buf, src, dst, ttl, tot, frag, IPPROTO_UDP);
	for (size_t i = sizeof(struct rte_ipv4_hdr); i < tot; i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	return tot;
}

struct rte_mbuf *up_frame(const uint8_t *hdr, size_t hlen, const uint8_t *in, size_t ilen)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(E.rt->pool);
	struct rte_ipv4_hdr ip = {0};
	struct rte_udp_hdr udp = {0};
	size_t l4 = sizeof(udp) + hlen + ilen;

	assert_non_null(m);
	put_eth(m, &E.rt->ports[ACC].mac, &acc_gw_mac, RTE_ETHER_TYPE_IPV4);
	ip.version_ihl = RTE_IPV4_VHL_DEF;
	ip.total_length = rte_cpu_to_be_16((uint16_t)(sizeof(ip) + l4));
	ip.time_to_live = 60;
	ip.next_proto_id = IPPROTO_UDP;
	ip.src_addr = rte_cpu_to_be_32(LAC_IP);
	ip.dst_addr = rte_cpu_to_be_32(LNS_ACC_IP);
	ip.hdr_checksum = rte_ipv4_cksum(&ip);
	put(m, &ip, sizeof(ip));
	udp.src_port = RTE_BE16(LAC_PORT);
	udp.dst_port = RTE_BE16(1701);
	udp.dgram_len = rte_cpu_to_be_16((uint16_t)l4);
	put(m, &udp, sizeof(udp));
	if (hlen)
		put(m, hdr, hlen);
	if (ilen)
		put(m, in, ilen);
	return m;
}

struct rte_mbuf *down_frame_to(const struct rte_ether_addr *dmac, uint16_t type, const uint8_t *in,
			       size_t ilen)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(E.rt->pool);

	assert_non_null(m);
	put_eth(m, dmac, &core_gw_mac, type);
	put(m, in, ilen);
	return m;
}

struct rte_mbuf *down_frame(const uint8_t *in, size_t ilen)
{
	return down_frame_to(&E.rt->ports[CORE].mac, RTE_ETHER_TYPE_IPV4, in, ilen);
}

enum lns_verdict classify(unsigned port, struct rte_mbuf *m)
{
	uint8_t v;

	lns_process_burst(E.w, &E.rt->ports[port], &m, 1, &v);
	return (enum lns_verdict)v;
}

/* ---------------------------------------------------------------- checks */

void check_ipv4_cksum(const struct rte_ipv4_hdr *ip)
{
	struct rte_ipv4_hdr c = *ip;

	c.hdr_checksum = 0;
	assert_int_equal(rte_ipv4_cksum(&c), ip->hdr_checksum);
}

void check_eth(const uint8_t *p, const struct rte_ether_addr *dst, unsigned port, uint16_t type)
{
	struct rte_ether_hdr eth;

	memcpy(&eth, p, sizeof(eth));
	assert_memory_equal(&eth.dst_addr, dst, 6);
	assert_memory_equal(&eth.src_addr, &E.rt->ports[port].mac, 6);
	assert_int_equal(eth.ether_type, rte_cpu_to_be_16(type));
}

struct lns_sess_ctr ctr(uint32_t slot)
{
	struct lns_sess_ctr c;

	lns_sess_ctr_sum(E.rt, slot, &c);
	return c;
}

void check_ctr_delta(const struct lns_sess_ctr *before, uint32_t slot, uint64_t up_pkts,
		     uint64_t up_bytes, uint64_t down_pkts, uint64_t down_bytes)
{
	struct lns_sess_ctr c = ctr(slot);

	assert_int_equal(c.up_pkts - before->up_pkts, up_pkts);
	assert_int_equal(c.up_bytes - before->up_bytes, up_bytes);
	assert_int_equal(c.down_pkts - before->down_pkts, down_pkts);
	assert_int_equal(c.down_bytes - before->down_bytes, down_bytes);
}

void up_verdict(const uint8_t *hdr, size_t hlen, const uint8_t *in, size_t ilen,
		enum lns_verdict want)
{
	struct lns_sess_ctr before = ctr(E.slot_a);
	struct rte_mbuf *m = up_frame(hdr, hlen, in, ilen);

	assert_int_equal(classify(ACC, m), want);
	rte_pktmbuf_free(m);
	check_ctr_delta(&before, E.slot_a, 0, 0, 0, 0);
}
