/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lns configuration: one YAML file, parsed with libyaml, validated, and
 * returned as one immutable object. Nothing here knows about DPDK; both
 * planes read the object after start-up and never write it.
 *
 * Errors are reported as "file:line:col: message" (1-based line and column,
 * taken from libyaml's marks).
 */
#ifndef LNS_CONFIG_H
#define LNS_CONFIG_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LNS_NAME_MAX   64  /* names of ports, pools, peers, users */
#define LNS_PATH_MAX   108 /* fits sockaddr_un.sun_path */
#define LNS_DEVICE_MAX 256 /* PCI address or vdev string */
#define LNS_SECRET_MAX 128
#define LNS_MAX_PORTS  16
#define LNS_MAX_ADDRS  8 /* addresses per port */

/* An IPv4 or IPv6 address, with a prefix length where one was given. */
struct lns_addr {
	int family;   /* AF_INET or AF_INET6 */
	uint8_t plen; /* prefix length; 32/128 when none was written */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

enum lns_log_level {
	LNS_LOG_EMERG = 1, /* same numbering as rte_log's RTE_LOG_* */
	LNS_LOG_ALERT,
	LNS_LOG_CRIT,
	LNS_LOG_ERR,
	LNS_LOG_WARNING,
	LNS_LOG_NOTICE,
	LNS_LOG_INFO,
	LNS_LOG_DEBUG,
};

struct lns_eal_cfg {
	char lcores[64];      /* EAL --lcores list or map, default "0-1" */
	int main_lcore;       /* -1: EAL's default (the first of lcores) */
	unsigned memory_mb;   /* -m, default 512 */
	bool no_huge;         /* --no-huge, default true */
	char file_prefix[64]; /* --file-prefix, default "lns" */
	char **extra_args;    /* passed to EAL verbatim, after ours */
	size_t n_extra_args;
};

struct lns_log_cfg {
	enum lns_log_level level; /* default info */
	/* per component: "lns.cp", "lns.dp", "lns.config", ... */
	struct lns_log_component {
		char name[LNS_NAME_MAX];
		enum lns_log_level level;
	} * components;
	size_t n_components;
};

struct lns_dataplane_cfg {
	unsigned mbufs;             /* mempool size per socket, default 8191 */
	unsigned mbuf_cache;        /* default 256 */
	unsigned burst;             /* RX burst, 1..256, default 32 */
	unsigned punt_ring_size;    /* power of two, default 1024 */
	unsigned rx_desc;           /* default 1024 */
	unsigned tx_desc;           /* default 1024 */
	unsigned idle_polls;        /* empty polls before a worker sleeps, default 64 */
	unsigned idle_sleep_us;     /* 0: never sleep (pure poll), default 100 */
	bool handoff;               /* L2TP data to the worker owning its session, default false */
	unsigned handoff_ring_size; /* power of two, default 4096 */
	/* ICMP errors sent a second at most; 0: none; default 100 */
	unsigned icmp_errors_per_second;
	/* ICMP Destination Unreachable for packets without a route, default true */
	bool icmp_unreachable;
	/* LNS_MSS_CLAMP_OFF, LNS_MSS_CLAMP_AUTO (default) or MIN..MAX */
	unsigned tcp_mss_clamp;
	/* Subscriber prefixes the IPv6 FIB holds (links' /64s, delegated prefixes, framed IPv6
	 * routes), 0..LNS_IPV6_PREFIXES_MAX; LNS_IPV6_PREFIXES_AUTO (default): derived from the
	 * rest of the configuration by lns_config_ipv6_prefixes() */
	uint32_t ipv6_prefixes;
};

#define LNS_IPV6_PREFIXES_AUTO UINT32_MAX
#define LNS_IPV6_PREFIXES_MAX  16777216u /* four a session at the largest l2tp.max-sessions */

#define LNS_MSS_CLAMP_OFF  0
#define LNS_MSS_CLAMP_AUTO 1     /* the session's tunnel MTU less 40 */
#define LNS_MSS_CLAMP_MIN  536   /* RFC 9293 section 3.7.1: the default MSS */
#define LNS_MSS_CLAMP_MAX  65495 /* the largest IPv4 packet less 40 */

enum lns_port_role {
	LNS_ROLE_ACCESS = 1, /* faces the LACs */
	LNS_ROLE_CORE = 2,   /* faces the core network */
	LNS_ROLE_BOTH = 3,
};

struct lns_port_cfg {
	char name[LNS_NAME_MAX];
	char device[LNS_DEVICE_MAX]; /* "0000:03:00.0" or "net_af_packet0,iface=x" */
	enum lns_port_role role;
	unsigned mtu; /* default 1500, 68..9600 */
	int vlan;     /* -1: untagged; else 1..4094 */
	bool has_mac;
	uint8_t mac[6];                       /* override of the device's address */
	struct lns_addr addrs[LNS_MAX_ADDRS]; /* interface addresses, with plen */
	size_t n_addrs;
};

struct lns_route_cfg {
	struct lns_addr prefix; /* destination */
	struct lns_addr via;    /* next hop, same family, on a connected subnet */
	int port;               /* index into ports; resolved from the subnet when
				 * not written, else the named port */
};

struct lns_retransmit_cfg {
	unsigned initial_ms; /* default 1000 */
	unsigned max_ms;     /* default 8000 */
	unsigned count;      /* default 5 */
};

struct lns_l2tp_peer_cfg {
	char name[LNS_NAME_MAX];
	struct lns_addr *match; /* source prefixes; may be empty if host_name set */
	size_t n_match;
	char host_name[LNS_NAME_MAX]; /* "" when not matched by Host Name */
	char secret[LNS_SECRET_MAX];  /* "" = no tunnel authentication */
	bool allow;                   /* default true */
	unsigned max_sessions;        /* 0 = no per-peer limit */
	bool hide_avps;               /* send hidden AVPs; needs a secret */
};

struct lns_l2tp_cfg {
	struct lns_addr *listen; /* each must be an address of an access port */
	size_t n_listen;
	unsigned port;                /* UDP port, default 1701 */
	char host_name[LNS_NAME_MAX]; /* default "lns" */
	unsigned hello_interval;      /* seconds, 0 = never, default 60 */
	unsigned receive_window;      /* 1..65535, default 16 */
	struct lns_retransmit_cfg retransmit;
	unsigned max_tunnels;     /* default 4096 */
	unsigned max_sessions;    /* default 65536 (whole LNS) */
	bool allow_unknown_peers; /* default false: only listed peers */
	struct lns_l2tp_peer_cfg *peers;
	size_t n_peers;
};

enum lns_auth_proto {
	LNS_AUTH_PAP = 1,
	LNS_AUTH_CHAP_MD5,
	LNS_AUTH_MSCHAPV2,
};
#define LNS_AUTH_MAX 3

/* Router Advertisements on subscribers' PPP links (RFC 4861 section 6.2.1, RFC 8106). */
struct lns_ra_cfg {
	unsigned interval;	     /* MaxRtrAdvInterval, seconds, default 600 (4..1800) */
	unsigned router_lifetime;    /* AdvDefaultLifetime, default 1800: 0 or interval..9000 */
	unsigned valid_lifetime;     /* the prefix's, default 2592000 (30 days) */
	unsigned preferred_lifetime; /* default 604800 (7 days), at most valid_lifetime */
	bool managed;		     /* M flag: addresses by DHCPv6, default false */
	bool other_config;	     /* O flag: other configuration by DHCPv6, default ppp.dhcp6 */
	struct lns_addr dns[3];	     /* RDNSS option, IPv6 */
	size_t n_dns;
};

struct lns_ppp_cfg {
	unsigned mru;                           /* 0 = derived from the path MTU (default) */
	enum lns_auth_proto auth[LNS_AUTH_MAX]; /* order of preference */
	size_t n_auth;                          /* default: mschapv2, chap-md5, pap */
	unsigned lcp_echo_interval;             /* seconds, 0 = off, default 10 */
	unsigned lcp_echo_failures;             /* default 3 */
	unsigned restart_ms;                    /* RFC 1661 restart timer, default 3000 */
	unsigned max_configure;                 /* default 10 */
	unsigned max_failure;                   /* default 5 */
	unsigned max_terminate;                 /* default 2 */
	struct lns_addr dns[2];                 /* IPv4 DNS servers for IPCP */
	size_t n_dns;
	bool ipv6;       /* run IPv6CP, default true */
	int ipv6_pool;   /* index into pools: each link's /64; default the first IPv6 pool of /64s */
	int pd_pool;     /* index into pools: delegated prefixes; -1 (default): none */
	struct lns_ra_cfg ra;
	bool dhcp6;      /* the DHCPv6 server on each link (cp/dhcp6.c), default true */
	bool proxy_lcp;  /* take the LAC's proxied LCP when acceptable, default true */
	bool proxy_auth; /* take the LAC's proxy authentication, default true */
};

struct lns_pool_range {
	struct lns_addr first, last; /* inclusive, same family, first <= last */
};

struct lns_pool_cfg {
	char name[LNS_NAME_MAX];
	int family; /* AF_INET or AF_INET6 */
	struct lns_pool_range *ranges;
	size_t n_ranges;
	uint64_t size;	     /* IPv4: addresses over all ranges; IPv6: prefixes */
	unsigned prefix_len; /* IPv6: the length of the prefixes handed out, default 64 */
};

struct lns_user_cfg {
	char name[LNS_NAME_MAX];
	char password[LNS_SECRET_MAX];
	int pool;                /* index into pools, -1: the first IPv4 pool */
	bool has_address;        /* a fixed address */
	struct lns_addr address; /* outside every pool */
};

#define LNS_RADIUS_MAX_SERVERS 8

struct lns_radius_server_cfg {
	struct lns_addr addr; /* IPv4 or IPv6, reached through the host's own stack */
	unsigned port;        /* default 1812 (auth) or 1813 (accounting) */
	char secret[LNS_SECRET_MAX];
	unsigned priority; /* lower first; equal ones in the order written */
};

struct lns_radius_dae_client_cfg {
	struct lns_addr addr; /* a host (/32 or /128) or a prefix */
	char secret[LNS_SECRET_MAX];
};

struct lns_radius_cfg {
	bool enabled; /* auth-servers given: subscribers authenticate against RADIUS */
	struct lns_radius_server_cfg auth[LNS_RADIUS_MAX_SERVERS];
	size_t n_auth;
	struct lns_radius_server_cfg acct[LNS_RADIUS_MAX_SERVERS];
	size_t n_acct;
	unsigned timeout_ms;               /* per try, default 1000 */
	unsigned retries;                  /* tries per server before failing over, default 3 */
	unsigned dead_time;                /* seconds a failed server is skipped, default 30 */
	char nas_identifier[LNS_NAME_MAX]; /* "" = l2tp.host-name */
	bool has_nas_ip;
	struct lns_addr nas_ip; /* NAS-IP-Address / NAS-IPv6-Address */
	bool has_source;
	struct lns_addr source;    /* bind address of the client sockets */
	unsigned interim_interval; /* seconds, 0 = none unless RADIUS gives one; default 300 */
	unsigned acct_queue;       /* accounting records held while servers are down */
	bool require_message_authenticator; /* on every response, default true */
	bool has_dae;
	struct lns_addr dae_addr; /* RFC 5176 server */
	unsigned dae_port;        /* default 3799 */
	struct lns_radius_dae_client_cfg dae_clients[LNS_RADIUS_MAX_SERVERS];
	size_t n_dae_clients;
};

struct lns_mgmt_cfg {
	char socket[LNS_PATH_MAX]; /* default "/run/lns/lnsd.sock" */
	bool has_metrics;
	struct lns_addr metrics_addr; /* Prometheus HTTP listener */
	unsigned metrics_port;
};

struct lns_config {
	char *file; /* the file it was loaded from */
	struct lns_eal_cfg eal;
	struct lns_log_cfg log;
	struct lns_dataplane_cfg dataplane;
	struct lns_port_cfg ports[LNS_MAX_PORTS];
	size_t n_ports;
	struct lns_route_cfg *routes;
	size_t n_routes;
	struct lns_l2tp_cfg l2tp;
	struct lns_ppp_cfg ppp;
	struct lns_pool_cfg *pools;
	size_t n_pools;
	struct lns_user_cfg *users;
	size_t n_users;
	struct lns_mgmt_cfg mgmt;
	struct lns_radius_cfg radius;
};

/*
 * Load and validate FILE. On success returns the configuration (free it with
 * lns_config_free). On failure returns NULL and writes one line of the form
 * "file:line:col: message" (no trailing newline) into err.
 */
struct lns_config *lns_config_load(const char *file, char *err, size_t errlen);

/* The same from a buffer; name is used in messages in place of a file. */
struct lns_config *lns_config_parse(const char *name, const char *buf, size_t len, char *err,
				    size_t errlen);

void lns_config_free(struct lns_config *cfg);

/* Helpers shared with the planes. */
int lns_addr_parse(const char *s, struct lns_addr *a, bool allow_prefix);    /* 0 or -EINVAL */
const char *lns_addr_str(const struct lns_addr *a, char *buf, size_t len);   /* address only */
const char *lns_prefix_str(const struct lns_addr *a, char *buf, size_t len); /* "addr/plen" */
bool lns_addr_in_prefix(const struct lns_addr *a, const struct lns_addr *prefix);
int lns_port_by_name(const struct lns_config *cfg, const char *name); /* index or -1 */
const char *lns_log_level_name(enum lns_log_level l);
/* How many subscriber prefixes the IPv6 FIB is made for: dataplane.ipv6-prefixes, or with
 * auto what the configuration can hand out (see docs/configuration.md, dataplane). */
uint32_t lns_config_ipv6_prefixes(const struct lns_config *cfg);

#endif
