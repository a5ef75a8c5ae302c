/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port start-up and shutdown, on the main lcore before the workers start and
 * after they stop. Every port gets one RX and one TX queue per worker plus one
 * more of each: the extra TX queue is the control lcore's, and the extra RX
 * queue exists because some virtual devices (net_af_packet's fanout, net_tap)
 * need as many RX as TX queues. Every RX queue is polled by some worker (queue
 * q by worker q mod W); where the NIC has a redirection table, it is filled
 * with the workers' own queues only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_dev.h>
#include <rte_ethdev.h>

#include "app/app.h"
#include "cp/cp.h"
#include "cp/log.h"
#include "dp/session.h"

/* A PCI address (DDDD:BB:DD.F or BB:DD.F) rather than a vdev string. */
bool lns_device_is_pci(const char *dev)
{
	unsigned a, b, c, d;
	char end;

	return sscanf(dev, "%x:%x:%x.%x%c", &a, &b, &c, &d, &end) == 4 ||
	       sscanf(dev, "%x:%x.%x%c", &a, &b, &c, &end) == 3;
}

/* Create the vdev (or find the PCI device) of a port; its DPDK port id. */
static int port_find(const struct lns_port_cfg *pc, unsigned nq, uint16_t *port_id)
{
	char name[LNS_DEVICE_MAX], args[LNS_DEVICE_MAX + 32], devargs[2 * LNS_DEVICE_MAX + 32];
	const char *comma;
	int ret;

	if (lns_device_is_pci(pc->device))
		return rte_eth_dev_get_port_by_name(pc->device, port_id);

	comma = strchr(pc->device, ',');
	snprintf(name, sizeof(name), "%.*s",
		 comma ? (int)(comma - pc->device) : (int)strlen(pc->device), pc->device);
	snprintf(args, sizeof(args), "%s", comma ? comma + 1 : "");
	/* net_af_packet makes its queue pairs at probe time. */
	if (strncmp(name, "net_af_packet", 13) == 0 && strstr(args, "qpairs=") == NULL)
		snprintf(args + strlen(args), sizeof(args) - strlen(args), "%sqpairs=%u",
			 args[0] ? "," : "", nq);
	snprintf(devargs, sizeof(devargs), "%s%s%s", name, args[0] ? "," : "", args);
	ret = rte_dev_probe(devargs);
	if (ret < 0)
		return ret;
	return rte_eth_dev_get_port_by_name(name, port_id);
}

static int port_start(struct lns_runtime *rt, unsigned idx, const struct lns_port_cfg *pc)
{
	struct lns_port *p = &rt->ports[idx];
	unsigned nq = rt->n_workers + 1;
	const struct lns_dataplane_cfg *dc = &rt->cfg->dataplane;
	struct rte_eth_conf conf = {.rxmode = {.mtu = pc->mtu}};
	struct rte_eth_dev_info info;
	uint16_t nb_rxd = dc->rx_desc, nb_txd = dc->tx_desc;
	int ret;

	p->port_id = RTE_MAX_ETHPORTS; /* not valid until found */
	ret = port_find(pc, nq, &p->port_id);
	if (ret < 0) {
		LNS_LOG(ERR, app, "port %s: device \"%s\" not found: %s", pc->name, pc->device,
			rte_strerror(-ret));
		return ret;
	}
	ret = rte_eth_dev_info_get(p->port_id, &info);
	if (ret < 0)
		return ret;
	if (info.max_rx_queues < nq || info.max_tx_queues < nq) {
		LNS_LOG(ERR, app,
			"port %s: device offers %u RX / %u TX queues, lns needs %u of each "
			"(one per worker plus one for the control lcore)",
			pc->name, info.max_rx_queues, info.max_tx_queues, nq);
		return -EINVAL;
	}
	if (rt->n_workers > 1 && info.flow_type_rss_offloads) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf =
			(RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP) & info.flow_type_rss_offloads;
	}
	ret = rte_eth_dev_configure(p->port_id, nq, nq, &conf);
	if (ret < 0) {
		LNS_LOG(ERR, app, "port %s: configure: %s", pc->name, rte_strerror(-ret));
		return ret;
	}
	rte_eth_dev_adjust_nb_rx_tx_desc(p->port_id, &nb_rxd, &nb_txd);
	for (unsigned q = 0; q < nq; q++) {
		ret = rte_eth_rx_queue_setup(p->port_id, q, nb_rxd,
					     rte_eth_dev_socket_id(p->port_id), NULL, rt->pool);
		if (ret == 0)
			ret = rte_eth_tx_queue_setup(p->port_id, q, nb_txd,
						     rte_eth_dev_socket_id(p->port_id), NULL);
		if (ret < 0) {
			LNS_LOG(ERR, app, "port %s: queue %u: %s", pc->name, q, rte_strerror(-ret));
			return ret;
		}
	}
	if (pc->has_mac) {
		struct rte_ether_addr mac;

		memcpy(mac.addr_bytes, pc->mac, 6);
		ret = rte_eth_dev_default_mac_addr_set(p->port_id, &mac);
		if (ret < 0)
			LNS_LOG(WARNING, app, "port %s: cannot set MAC address: %s", pc->name,
				rte_strerror(-ret));
	}
	ret = rte_eth_dev_start(p->port_id);
	if (ret < 0) {
		LNS_LOG(ERR, app, "port %s: start: %s", pc->name, rte_strerror(-ret));
		return ret;
	}
	ret = rte_eth_allmulticast_enable(p->port_id);
	if (ret < 0 && ret != -ENOTSUP)
		LNS_LOG(WARNING, app, "port %s: all-multicast: %s", pc->name, rte_strerror(-ret));
	if (conf.rxmode.mq_mode == RTE_ETH_MQ_RX_RSS && info.reta_size) {
		struct rte_eth_rss_reta_entry64 reta[info.reta_size / RTE_ETH_RETA_GROUP_SIZE + 1];

		memset(reta, 0, sizeof(reta));
		for (unsigned i = 0; i < info.reta_size; i++) {
			reta[i / RTE_ETH_RETA_GROUP_SIZE].mask |= 1ull
								  << (i % RTE_ETH_RETA_GROUP_SIZE);
			reta[i / RTE_ETH_RETA_GROUP_SIZE].reta[i % RTE_ETH_RETA_GROUP_SIZE] =
				i % rt->n_workers;
		}
		if (rte_eth_dev_rss_reta_update(p->port_id, reta, info.reta_size) < 0)
			LNS_LOG(WARNING, app,
				"port %s: RSS table not set; the control queue "
				"takes a share of RX",
				pc->name);
	}

	rte_eth_macaddr_get(p->port_id, &p->mac);
	ret = lns_port_fill(rt, idx, p->port_id, nq);
	if (ret < 0)
		return ret;
	{
		char mac[RTE_ETHER_ADDR_FMT_SIZE];

		cp_mac_str(&p->mac, mac, sizeof(mac));
		LNS_LOG(INFO, app, "port %s: %s (port id %u), %s, %u queue pairs, mac %s", pc->name,
			pc->device, p->port_id, info.driver_name, nq, mac);
	}
	return 0;
}

int lns_port_fill(struct lns_runtime *rt, unsigned idx, uint16_t port_id, unsigned nq)
{
	const struct lns_port_cfg *pc = &rt->cfg->ports[idx];
	struct lns_port *p = &rt->ports[idx];

	p->port_id = port_id;
	p->cfg_idx = idx;
	p->vlan = pc->vlan;
	p->tx_queue_cp = rt->n_workers;
	p->mtu = (uint16_t)pc->mtu;
	for (size_t a = 0; a < pc->n_addrs; a++) {
		const struct lns_addr *ad = &pc->addrs[a];

		if (ad->family == AF_INET) {
			p->v4[p->n_v4] = ad->v4.s_addr;
			p->v4_plen[p->n_v4++] = ad->plen;
		} else {
			memcpy(p->v6[p->n_v6], &ad->v6, 16);
			p->v6_plen[p->n_v6++] = ad->plen;
		}
	}
	/* A link-local address from the MAC (RFC 4291 appendix A), as routers expect. */
	if (p->n_v6 < RTE_DIM(p->v6)) {
		uint8_t *ll = p->v6[p->n_v6];

		memset(ll, 0, 16);
		ll[0] = 0xfe;
		ll[1] = 0x80;
		ll[8] = p->mac.addr_bytes[0] ^ 0x02;
		ll[9] = p->mac.addr_bytes[1];
		ll[10] = p->mac.addr_bytes[2];
		ll[11] = 0xff;
		ll[12] = 0xfe;
		memcpy(&ll[13], &p->mac.addr_bytes[3], 3);
		p->v6_plen[p->n_v6++] = 64;
	}
	/* L2TP from LACs: a port facing them matches the common frame with a template first
	 * (dp/classify.c); elsewhere the checks alone, and nothing spent on a template. */
	if (pc->role & LNS_ROLE_ACCESS)
		lns_port_up_template(p, rt->l2tp_port);
	else
		p->up_l2 = 0;
	lns_port_rt_template(p);
	rt->port_by_id[p->port_id] = idx;
	/* The prebuilt headers of sessions behind this port carry its VLAN tag. */
	lns_session_table_set_port(rt->sessions, idx, p->vlan);
	/* RX queue q is polled by worker q mod W. */
	for (unsigned q = 0; q < nq; q++) {
		struct lns_worker *w = &rt->workers[q % rt->n_workers];

		if (w->n_rxq == LNS_MAX_RXQ_PER_WORKER)
			return -E2BIG;
		w->rxq[w->n_rxq++] = (struct lns_rxq){.port_idx = idx, .queue = q};
	}
	return 0;
}

int lns_ports_start(struct lns_runtime *rt)
{
	const struct lns_config *cfg = rt->cfg;

	for (unsigned i = 0; i < RTE_MAX_ETHPORTS; i++)
		rt->port_by_id[i] = -1;
	for (size_t i = 0; i < cfg->n_ports; i++) {
		int ret = port_start(rt, (unsigned)i, &cfg->ports[i]);

		rt->n_ports = (unsigned)i + 1;
		if (ret < 0)
			return ret;
	}
	return 0;
}

void lns_ports_stop(struct lns_runtime *rt)
{
	for (unsigned i = 0; i < rt->n_ports; i++) {
		uint16_t id = rt->ports[i].port_id;

		if (!rte_eth_dev_is_valid_port(id))
			continue;
		rte_eth_dev_stop(id);
		rte_eth_dev_close(id);
	}
	rt->n_ports = 0;
}
