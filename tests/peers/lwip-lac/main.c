/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwip-lac: a test peer for lnsd. N PPP-over-L2TPv2 client sessions (lwIP's
 * PPPoL2TP: one tunnel per session) over a TAP device, in one process.
 *
 * lwIP itself is not in this repository: build.sh fetches Debian's lwip
 * source package and links it with this file. See README.md.
 *
 * Events go to stdout, one line each, line-buffered:
 *   lwip-lac start tap=T mac=M ip=A/P lns=L port=1701 sessions=N
 *   session I phase NAME                    PPP phase changes (lwIP's names)
 *   session I l2tp tunnel=T session=S peer_tunnel=PT peer_session=PS
 *                                            ICCN acknowledged: PPP starts
 *   session I up ip4=A peer=P dns1=D dns2=D IPCP up
 *   session I up6 ll=fe80::X ifid=X peer_ifid=Y   IPv6CP up
 *   session I addr6 ADDR                     a further IPv6 address (SLAAC)
 *   session I down err=PPPERR_NAME (CODE)   the session is dead
 *   session I udp start to=A:P count=N size=S  (--udp-to, on SIGUSR1)
 *   session I udp sent=N failed=F            the stream is done
 *   session I ping6 start to=A from=S count=N  (--ping6, once SLAAC gave an address)
 *   session I ping6 reply from=A seq=N hlim=H len=L cksum=ok|bad
 *   session I ping6 sent=N                   the last request went
 *   tun6 dev=T to_tun=N from_tun=M dropped=D  (--tun6, at the end)
 *   lwip-lac exit status=S up=U down=D
 * Diagnostics go to stderr (with --debug: lwIP's PPP debug messages).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lwip/def.h"
#include "lwip/init.h"
#include "lwip/ip_addr.h"
#include "lwip/inet_chksum.h"
#include "lwip/ip6.h"
#include "lwip/netif.h"
#include "lwip/prot/icmp6.h"
#include "lwip/raw.h"
#include "lwip/sys.h"
#include "lwip/timeouts.h"
#include "lwip/udp.h"
#include "netif/ppp/ppp.h"
#include "netif/ppp/ppp_impl.h" /* link_terminated: forced close (CDN, exit) */
#include "netif/ppp/pppol2tp.h"
#include "netif/tapif.h"

#include "lwip_lac_hooks.h"

unsigned char lwip_lac_debug; /* LWIP_DBG_TYPES_ON, see lwipopts.h */

void lwip_lac_diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

struct session {
	int idx; /* 1-based, as printed */
	ppp_pcb *pcb;
	struct netif pppif;
	char user[256];
	int live;               /* between ppp_connect and the down event */
	int l2tp_up;            /* ICCN acknowledged, reported */
	udp_recv_fn l2tp_input; /* pppol2tp's own receive function and its arg */
	void *l2tp_input_arg;
	int up4, up6, was_up;
	int addr6_seen[LWIP_IPV6_NUM_ADDRESSES];
	struct udp_pcb *udp_pcb; /* --udp-to: the session's stream */
	unsigned udp_sent, udp_failed;
	int udp_active;
	int ping6_slot;      /* --ping6: the netif address slot sent from, 0: not started */
	unsigned ping6_sent; /* echo requests sent (their sequence numbers 1..) */
};

static struct {
	const char *tap, *user, *password, *secret;
	ip4_addr_t ip, mask, gw;
	int have_gw;
	ip6_addr_t ip6;
	int have_ip6;
	ip_addr_t lns;
	u16_t port;
	u8_t authtype;
	int sessions, user_suffix, ipv6;
	int echo_interval, echo_fails, restart;
	unsigned duration;
	int keep_orphan;
	u8_t mac[6];
	int have_mac;
	ip_addr_t udp_to; /* --udp-to */
	u16_t udp_port;
	int have_udp;
	unsigned udp_count, udp_size, udp_interval;
	ip_addr_t ping6; /* --ping6 */
	int have_ping6;
	unsigned ping6_count;
	const char *tun6; /* --tun6: session 1's IPv6 over this TUN device */
} opt = {.port = 1701,
	 .ping6_count = 3,
	 .authtype = PPPAUTHTYPE_PAP,
	 .sessions = 1,
	 .echo_fails = 3,
	 .udp_count = 10,
	 .udp_size = 64,
	 .udp_interval = 10};

static struct netif tapnif;
static struct session *sess;
static volatile sig_atomic_t got_signal, got_usr1;
static int n_up, n_down;

static const char *const ppp_err_names[] = {
	"PPPERR_NONE",     "PPPERR_PARAM",    "PPPERR_OPEN",        "PPPERR_DEVICE",
	"PPPERR_ALLOC",    "PPPERR_USER",     "PPPERR_CONNECT",     "PPPERR_AUTHFAIL",
	"PPPERR_PROTOCOL", "PPPERR_PEERDEAD", "PPPERR_IDLETIMEOUT", "PPPERR_CONNECTTIME",
	"PPPERR_LOOPBACK",
};

static const char *const phase_names[] = {
	"dead",    "master",    "holdoff",      "initialize", "serialconn",
	"dormant", "establish", "authenticate", "callback",   "network",
	"running", "terminate", "disconnect",
};

static int opt_timestamps;
static u32_t t0;

/* One event line on stdout (line-buffered); with --timestamps it ends in
 * " t=S.mmm", seconds since start. fmt ends in a newline. */
static void __attribute__((format(printf, 1, 2))) ev(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	n = strcspn(line, "\n");
	line[n] = '\0';
	if (opt_timestamps) {
		u32_t ms = sys_now() - t0;

		printf("%s t=%u.%03u\n", line, ms / 1000, ms % 1000);
	} else {
		printf("%s\n", line);
	}
}

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_signal = sig;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: lwip-lac --tap NAME --ip A.B.C.D/PLEN --lns ADDR [options]\n"
		"  --tap NAME            existing TAP device (opened with TUNSETIFF)\n"
		"  --ip A.B.C.D/PLEN     lwIP's address on the TAP\n"
		"  --gw A.B.C.D          default gateway on the TAP\n"
		"  --ip6 ADDR/PLEN       an IPv6 address on the TAP (L2TP over IPv6)\n"
		"  --mac XX:XX:XX:XX:XX:XX  lwIP's MAC on the TAP (default 02:4c:<ip>)\n"
		"  --lns ADDR            the LNS (IPv4 or IPv6)\n"
		"  --port N              its UDP port (1701)\n"
		"  --secret S            L2TP tunnel secret (tunnel authentication)\n"
		"  --user U --password P PPP credentials\n"
		"  --auth pap|chap|mschapv2|any|none  what lwIP accepts (pap)\n"
		"  --sessions N          N sessions, each in its own tunnel (1..%d)\n"
		"  --user-suffix         user names U1..UN instead of U\n"
		"  --ipv6                negotiate IPv6CP (else only answer the LNS's)\n"
		"  --echo-interval S     LCP echo interval, 0 = off (0)\n"
		"  --echo-fails N        unanswered echoes before the link is dead (3)\n"
		"  --restart S           PPP restart timer: Configure- and Terminate-Request\n"
		"                        retransmission (lwIP's default 6)\n"
		"  --duration S          exit after S seconds (0 = until SIGTERM/SIGINT)\n"
		"  --udp-to A.B.C.D:PORT on SIGUSR1, every session that is up sends a UDP\n"
		"                        stream there from its PPP address\n"
		"  --udp-count N         datagrams per session and SIGUSR1 (10)\n"
		"  --udp-size S          UDP payload octets, 0..1400 (64)\n"
		"  --udp-interval MS     milliseconds between a session's datagrams (10)\n"
		"  --ping6 ADDR          once a session has a SLAAC address, send ADDR ICMPv6\n"
		"                        echo requests from it and report each reply\n"
		"  --ping6-count N       echo requests per session, one every 200 ms (3)\n"
		"  --tun6 NAME           session 1's IPv6 to and from the TUN device NAME\n"
		"                        (made if missing) instead of lwIP's stack\n"
		"  --debug               lwIP's PPP debug messages on stderr\n"
		"  --timestamps          each event line ends in t=SECONDS.ms since start\n"
		"  --no-parent-death     keep running when the parent process dies\n"
		"                        (default: stop as on SIGTERM)\n",
		LAC_MAX_SESSIONS);
}

static __attribute__((noreturn)) void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "lwip-lac: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(2);
}

static long parse_num(const char *s, const char *what, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || v < min || v > max)
		die("bad %s '%s' (expected %ld..%ld)", what, s, min, max);
	return v;
}

/* "A.B.C.D/PLEN" or "X::Y/PLEN" into the address and prefix length. */
static int split_prefix(const char *arg, char *addr, size_t addrlen, const char *what, int maxlen)
{
	const char *slash = strchr(arg, '/');

	if (slash == NULL || (size_t)(slash - arg) >= addrlen)
		die("bad %s '%s' (expected ADDRESS/PLEN)", what, arg);
	memcpy(addr, arg, slash - arg);
	addr[slash - arg] = '\0';
	return (int)parse_num(slash + 1, what, 0, maxlen);
}

static void parse_args(int argc, char **argv)
{
	enum {
		O_TAP = 256,
		O_IP,
		O_GW,
		O_IP6,
		O_MAC,
		O_LNS,
		O_PORT,
		O_SECRET,
		O_USER,
		O_PASSWORD,
		O_AUTH,
		O_SESSIONS,
		O_SUFFIX,
		O_IPV6,
		O_ECHO_INT,
		O_ECHO_FAILS,
		O_DURATION,
		O_DEBUG,
		O_NO_PDEATH,
		O_TIMESTAMPS,
		O_RESTART,
		O_UDP_TO,
		O_UDP_COUNT,
		O_UDP_SIZE,
		O_UDP_INTERVAL,
		O_PING6,
		O_PING6_COUNT,
		O_TUN6,
		O_HELP
	};
	static const struct option lo[] = {
		{"tap", required_argument, NULL, O_TAP},
		{"ip", required_argument, NULL, O_IP},
		{"gw", required_argument, NULL, O_GW},
		{"ip6", required_argument, NULL, O_IP6},
		{"mac", required_argument, NULL, O_MAC},
		{"lns", required_argument, NULL, O_LNS},
		{"port", required_argument, NULL, O_PORT},
		{"secret", required_argument, NULL, O_SECRET},
		{"user", required_argument, NULL, O_USER},
		{"password", required_argument, NULL, O_PASSWORD},
		{"auth", required_argument, NULL, O_AUTH},
		{"sessions", required_argument, NULL, O_SESSIONS},
		{"user-suffix", no_argument, NULL, O_SUFFIX},
		{"ipv6", no_argument, NULL, O_IPV6},
		{"echo-interval", required_argument, NULL, O_ECHO_INT},
		{"echo-fails", required_argument, NULL, O_ECHO_FAILS},
		{"duration", required_argument, NULL, O_DURATION},
		{"debug", no_argument, NULL, O_DEBUG},
		{"no-parent-death", no_argument, NULL, O_NO_PDEATH},
		{"timestamps", no_argument, NULL, O_TIMESTAMPS},
		{"restart", required_argument, NULL, O_RESTART},
		{"udp-to", required_argument, NULL, O_UDP_TO},
		{"udp-count", required_argument, NULL, O_UDP_COUNT},
		{"udp-size", required_argument, NULL, O_UDP_SIZE},
		{"udp-interval", required_argument, NULL, O_UDP_INTERVAL},
		{"ping6", required_argument, NULL, O_PING6},
		{"ping6-count", required_argument, NULL, O_PING6_COUNT},
		{"tun6", required_argument, NULL, O_TUN6},
		{"help", no_argument, NULL, O_HELP},
		{NULL, 0, NULL, 0},
	};
	char buf[64];
	int c, plen, have_ip = 0, have_lns = 0;
	unsigned m[6];

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case O_TAP:
			opt.tap = optarg;
			break;
		case O_IP:
			plen = split_prefix(optarg, buf, sizeof(buf), "--ip", 32);
			if (!ip4addr_aton(buf, &opt.ip))
				die("bad --ip address '%s'", buf);
			ip4_addr_set_u32(&opt.mask,
					 plen ? lwip_htonl(0xffffffffu << (32 - plen)) : 0);
			have_ip = 1;
			break;
		case O_GW:
			if (!ip4addr_aton(optarg, &opt.gw))
				die("bad --gw '%s'", optarg);
			opt.have_gw = 1;
			break;
		case O_IP6:
			split_prefix(optarg, buf, sizeof(buf), "--ip6", 128);
			if (!ip6addr_aton(buf, &opt.ip6))
				die("bad --ip6 address '%s'", buf);
			opt.have_ip6 = 1;
			break;
		case O_MAC:
			if (sscanf(optarg, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4],
				   &m[5]) != 6)
				die("bad --mac '%s'", optarg);
			for (int i = 0; i < 6; i++)
				opt.mac[i] = (u8_t)m[i];
			opt.have_mac = 1;
			break;
		case O_LNS:
			if (!ipaddr_aton(optarg, &opt.lns))
				die("bad --lns '%s'", optarg);
			have_lns = 1;
			break;
		case O_PORT:
			opt.port = (u16_t)parse_num(optarg, "--port", 1, 65535);
			break;
		case O_SECRET:
			opt.secret = optarg;
			if (strlen(optarg) > 255)
				die("--secret longer than 255 bytes");
			break;
		case O_USER:
			opt.user = optarg;
			break;
		case O_PASSWORD:
			opt.password = optarg;
			break;
		case O_AUTH:
			if (!strcmp(optarg, "pap"))
				opt.authtype = PPPAUTHTYPE_PAP;
			else if (!strcmp(optarg, "chap"))
				opt.authtype = PPPAUTHTYPE_CHAP;
			else if (!strcmp(optarg, "mschapv2"))
				opt.authtype = PPPAUTHTYPE_MSCHAP_V2;
			else if (!strcmp(optarg, "any"))
				opt.authtype = PPPAUTHTYPE_ANY;
			else if (!strcmp(optarg, "none"))
				opt.authtype = PPPAUTHTYPE_NONE;
			else
				die("bad --auth '%s' (pap, chap, mschapv2, any or none)", optarg);
			break;
		case O_SESSIONS:
			opt.sessions = (int)parse_num(optarg, "--sessions", 1, LAC_MAX_SESSIONS);
			break;
		case O_SUFFIX:
			opt.user_suffix = 1;
			break;
		case O_IPV6:
			opt.ipv6 = 1;
			break;
		case O_ECHO_INT:
			opt.echo_interval = (int)parse_num(optarg, "--echo-interval", 0, 255);
			break;
		case O_ECHO_FAILS:
			opt.echo_fails = (int)parse_num(optarg, "--echo-fails", 1, 255);
			break;
		case O_DURATION:
			opt.duration = (unsigned)parse_num(optarg, "--duration", 0, 86400 * 365);
			break;
		case O_DEBUG:
			lwip_lac_debug = LWIP_DBG_ON;
			break;
		case O_RESTART:
			opt.restart = (int)parse_num(optarg, "--restart", 1, 255);
			break;
		case O_TIMESTAMPS:
			opt_timestamps = 1;
			break;
		case O_UDP_TO: {
			const char *colon = strrchr(optarg, ':');

			if (colon == NULL || (size_t)(colon - optarg) >= sizeof(buf))
				die("bad --udp-to '%s' (expected A.B.C.D:PORT)", optarg);
			memcpy(buf, optarg, colon - optarg);
			buf[colon - optarg] = '\0';
			if (!ipaddr_aton(buf, &opt.udp_to) || !IP_IS_V4(&opt.udp_to))
				die("bad --udp-to address '%s' (IPv4 only)", buf);
			opt.udp_port = (u16_t)parse_num(colon + 1, "--udp-to port", 1, 65535);
			opt.have_udp = 1;
			break;
		}
		case O_UDP_COUNT:
			opt.udp_count = (unsigned)parse_num(optarg, "--udp-count", 1, 1000000);
			break;
		case O_UDP_SIZE:
			/* below any PPP MTU: no IP fragments to count */
			opt.udp_size = (unsigned)parse_num(optarg, "--udp-size", 0, 1400);
			break;
		case O_UDP_INTERVAL:
			opt.udp_interval = (unsigned)parse_num(optarg, "--udp-interval", 1, 60000);
			break;
		case O_PING6:
			if (!ipaddr_aton(optarg, &opt.ping6) || !IP_IS_V6(&opt.ping6))
				die("bad --ping6 address '%s' (IPv6 only)", optarg);
			opt.have_ping6 = 1;
			break;
		case O_PING6_COUNT:
			opt.ping6_count = (unsigned)parse_num(optarg, "--ping6-count", 1, 1000);
			break;
		case O_NO_PDEATH:
			opt.keep_orphan = 1;
			break;
		case O_TUN6:
			if (strlen(optarg) >= IFNAMSIZ)
				die("--tun6 '%s': name too long", optarg);
			opt.tun6 = optarg;
			break;
		case 'h':
		case O_HELP:
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (optind != argc)
		die("unexpected argument '%s'", argv[optind]);
	if (opt.tap == NULL || !have_ip || !have_lns) {
		usage(stderr);
		die("--tap, --ip and --lns are required");
	}
	if (opt.authtype != PPPAUTHTYPE_NONE && (opt.user == NULL || opt.password == NULL))
		die("--user and --password are required (or --auth none)");
	if (IP_IS_V6(&opt.lns) && !opt.have_ip6)
		die("an IPv6 --lns needs --ip6");
	if (!opt.have_mac) {
		const u8_t *a = (const u8_t *)&opt.ip.addr;

		opt.mac[0] = 0x02;
		opt.mac[1] = 0x4c;
		memcpy(&opt.mac[2], a, 4);
	}
}

static void print_ipv4(char *buf, size_t len, u32_t addr)
{
	ip4_addr_t a;

	ip4_addr_set_u32(&a, addr);
	if (ip4addr_ntoa_r(&a, buf, (int)len) == NULL)
		snprintf(buf, len, "?");
}

static void print_eui64(char *buf, size_t len, const eui64_t *e)
{
	snprintf(buf, len, "%02x%02x:%02x%02x:%02x%02x:%02x%02x", e->e8[0], e->e8[1], e->e8[2],
		 e->e8[3], e->e8[4], e->e8[5], e->e8[6], e->e8[7]);
}

/* lwIP writes IPv6 addresses in upper case; Linux tools in lower case. */
static char *lower(char *str)
{
	for (char *p = str; *p; p++)
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
	return str;
}

static void on_phase(ppp_pcb *pcb, u8_t phase, void *ctx)
{
	struct session *s = ctx;

	if (!s->live)
		return; /* ppp_set_notify_phase_callback reports the initial "dead" */
	if (phase < LWIP_ARRAYSIZE(phase_names))
		ev("session %d phase %s\n", s->idx, phase_names[phase]);
	else
		ev("session %d phase %u\n", s->idx, phase);
	if (phase == PPP_PHASE_ESTABLISH || phase == PPP_PHASE_TERMINATE || phase == PPP_PHASE_DEAD)
		s->up4 = s->up6 = 0; /* a later IPCP/IPv6CP up is reported again */
	if (phase == PPP_PHASE_ESTABLISH && !s->l2tp_up) {
		/* ppp_start(): the LNS acknowledged our ICCN. lwIP names the IDs
		 * from the wire's point of view: remote_* is what we assigned.
		 * (LCP may restart later in the same call: reported once.) */
		const pppol2tp_pcb *l2tp = pcb->link_ctx_cb;

		s->l2tp_up = 1;
		ev("session %d l2tp tunnel=%u session=%u peer_tunnel=%u peer_session=%u\n", s->idx,
		   l2tp->remote_tunnel_id, l2tp->remote_session_id, l2tp->source_tunnel_id,
		   l2tp->source_session_id);
	}
}

static void on_status(ppp_pcb *pcb, int err, void *ctx)
{
	struct session *s = ctx;
	struct netif *nif = ppp_netif(pcb);
	char a[48], b[48], c[48], d[48];

	if (err == PPPERR_NONE) {
		if (pcb->if4_up && !s->up4) {
			s->up4 = 1;
			print_ipv4(a, sizeof(a), ip4_addr_get_u32(netif_ip4_addr(nif)));
			print_ipv4(b, sizeof(b), ip4_addr_get_u32(netif_ip4_gw(nif)));
			print_ipv4(c, sizeof(c), pcb->ipcp_gotoptions.dnsaddr[0]);
			print_ipv4(d, sizeof(d), pcb->ipcp_gotoptions.dnsaddr[1]);
			ev("session %d up ip4=%s peer=%s dns1=%s dns2=%s\n", s->idx, a, b, c, d);
		}
		if (pcb->if6_up && !s->up6) {
			s->up6 = 1;
			ip6addr_ntoa_r(netif_ip6_addr(nif, 0), a, sizeof(a));
			print_eui64(b, sizeof(b), &pcb->ipv6cp_gotoptions.ourid);
			print_eui64(c, sizeof(c), &pcb->ipv6cp_hisoptions.hisid);
			s->addr6_seen[0] = 1;
			ev("session %d up6 ll=%s ifid=%s peer_ifid=%s\n", s->idx, lower(a), b, c);
		}
		if (!s->was_up) {
			s->was_up = 1;
			n_up++;
		}
		return;
	}
	if (!s->live)
		return; /* ppp_close on a dead pcb reports again */
	s->live = 0;
	s->l2tp_up = s->up4 = s->up6 = 0;
	n_down++;
	ev("session %d down err=%s (%d)\n", s->idx,
	   err > 0 && err < (int)LWIP_ARRAYSIZE(ppp_err_names) ? ppp_err_names[err] : "?", err);
}

struct netif *lwip_lac_route_src(const ip4_addr_t *src, const ip4_addr_t *dest)
{
	LWIP_UNUSED_ARG(dest);
	if (src == NULL || sess == NULL || ip4_addr_isany(src))
		return NULL;
	for (int i = 0; i < opt.sessions; i++) {
		struct netif *n = &sess[i].pppif;

		if (sess[i].up4 && netif_is_up(n) && ip4_addr_cmp(src, netif_ip4_addr(n)))
			return n;
	}
	return NULL;
}

/*
 * --ping6: ICMPv6 echo requests from a session's SLAAC address over its PPP
 * link, through one raw pcb for all sessions (raw_sendto_if_src: no routing,
 * lwIP fills in the checksum). The identifier is the session's index; replies
 * are taken from the raw pcb before lwIP's own ICMPv6 input, checked and
 * reported.
 */
#define PING6_ID_BASE 0x4c00 /* identifier: this plus the session's index */
#define PING6_DATA    "lwip-lac ping6"

static struct raw_pcb *ping6_pcb;

static void ping6_tick(void *arg)
{
	struct session *s = arg;
	size_t dlen = sizeof(PING6_DATA) - 1;
	struct pbuf *p;

	if (!s->up6 || !ip6_addr_isvalid(netif_ip6_addr_state(&s->pppif, s->ping6_slot)))
		return; /* the session or its address went away: no more */
	p = pbuf_alloc(PBUF_IP, (u16_t)(sizeof(struct icmp6_echo_hdr) + dlen), PBUF_RAM);
	if (p != NULL) {
		struct icmp6_echo_hdr *e = p->payload;

		e->type = ICMP6_TYPE_EREQ;
		e->code = 0;
		e->chksum = 0;
		e->id = lwip_htons((u16_t)(PING6_ID_BASE + s->idx));
		e->seqno = lwip_htons((u16_t)(s->ping6_sent + 1));
		memcpy((u8_t *)p->payload + sizeof(*e), PING6_DATA, dlen);
		if (raw_sendto_if_src(ping6_pcb, p, &opt.ping6, &s->pppif,
				      netif_ip_addr6(&s->pppif, s->ping6_slot)) == ERR_OK)
			s->ping6_sent++;
		pbuf_free(p);
	}
	if (s->ping6_sent < opt.ping6_count && p != NULL)
		sys_timeout(200, ping6_tick, s);
	else
		ev("session %d ping6 sent=%u\n", s->idx, s->ping6_sent);
}

/* An ICMPv6 packet for us (P at its IPv6 header): an echo reply to one of our requests is
 * reported and eaten; anything else goes on to lwIP. */
static u8_t ping6_recv(void *arg, struct raw_pcb *pcb, struct pbuf *p, const ip_addr_t *addr)
{
	struct ip6_hdr h;
	u8_t icmp[8 + 64];
	u16_t plen, n, sum, id;
	ip6_addr_t src, dst;
	char a[48];
	int idx;

	LWIP_UNUSED_ARG(arg);
	LWIP_UNUSED_ARG(pcb);
	LWIP_UNUSED_ARG(addr);
	if (pbuf_copy_partial(p, &h, sizeof(h), 0) != sizeof(h) ||
	    IP6H_NEXTH(&h) != IP6_NEXTH_ICMP6)
		return 0;
	plen = IP6H_PLEN(&h);
	n = pbuf_copy_partial(p, icmp, sizeof(icmp), sizeof(h));
	if (n < 8 || n != plen || icmp[0] != ICMP6_TYPE_EREP)
		return 0;
	id = (u16_t)(icmp[4] << 8 | icmp[5]);
	idx = id - PING6_ID_BASE;
	if (idx < 1 || idx > opt.sessions)
		return 0;
	ip6_addr_copy_from_packed(src, h.src);
	ip6_addr_copy_from_packed(dst, h.dest);
	ip6_addr_clear_zone(&src);
	ip6_addr_clear_zone(&dst);
	{
		/* the sum over pseudo-header and message, all ones when it is right */
		struct pbuf q = {.payload = icmp, .len = n, .tot_len = n};

		sum = ip6_chksum_pseudo(&q, IP6_NEXTH_ICMP6, n, &src, &dst);
	}
	ip6addr_ntoa_r(&src, a, sizeof(a));
	ev("session %d ping6 reply from=%s seq=%u hlim=%u len=%u cksum=%s\n", idx, lower(a),
	   (unsigned)(icmp[6] << 8 | icmp[7]), IP6H_HOPLIM(&h), n, sum == 0 ? "ok" : "bad");
	pbuf_free(p);
	return 1;
}

/* A session's first SLAAC address (slot J): its pings start. */
static void ping6_start(struct session *s, int j)
{
	char a[48], b[48];

	if (!opt.have_ping6 || s->ping6_slot)
		return;
	if (ping6_pcb == NULL) {
		ping6_pcb = raw_new_ip_type(IPADDR_TYPE_V6, IP6_NEXTH_ICMP6);
		if (ping6_pcb == NULL) {
			ev("session %d ping6 sent=0 no pcb\n", s->idx);
			return;
		}
		ping6_pcb->chksum_reqd = 1; /* RFC 4443 2.3: lwIP computes it at offset 2 */
		ping6_pcb->chksum_offset = 2;
		raw_recv(ping6_pcb, ping6_recv, NULL);
	}
	s->ping6_slot = j;
	s->ping6_sent = 0;
	ipaddr_ntoa_r(&opt.ping6, a, sizeof(a));
	ip6addr_ntoa_r(netif_ip6_addr(&s->pppif, j), b, sizeof(b));
	ev("session %d ping6 start to=%s from=%s count=%u\n", s->idx, lower(a), lower(b),
	   opt.ping6_count);
	ping6_tick(s);
}

/* Report IPv6 addresses beyond the link-local one (SLAAC over the PPP link). */
static void check_addr6(void)
{
	char a[48];

	for (int i = 0; i < opt.sessions; i++) {
		struct session *s = &sess[i];

		if (!s->up6)
			continue;
		for (int j = 1; j < LWIP_IPV6_NUM_ADDRESSES; j++) {
			int ok = ip6_addr_isvalid(netif_ip6_addr_state(&s->pppif, j));

			if (ok && !s->addr6_seen[j]) {
				ip6addr_ntoa_r(netif_ip6_addr(&s->pppif, j), a, sizeof(a));
				ev("session %d addr6 %s\n", s->idx, lower(a));
				ping6_start(s, j);
			}
			s->addr6_seen[j] = ok;
		}
	}
}

static int live_sessions(void)
{
	int n = 0;

	for (int i = 0; i < opt.sessions; i++)
		n += sess[i].live;
	return n;
}

/* Tear a session down at once, whatever its phase: LCP lower layer down,
 * StopCCN for its tunnel (lwIP has one tunnel per call), status callback
 * with err unless lwIP already knows a reason. */
static void force_down(struct session *s, int err)
{
	ppp_pcb *pcb = s->pcb;

	if (!s->live || pcb->phase == PPP_PHASE_DEAD)
		return;
	if (pcb->err_code == PPPERR_NONE)
		pcb->err_code = (u8_t)err; /* keep PPPERR_AUTHFAIL and the like */
	link_terminated(pcb);
}

/*
 * lwIP's PPPoL2TP ignores a CDN, and a StopCCN once the call is up (it
 * leaves LCP echoes to notice). A test peer should see them: this sits in
 * front of pppol2tp's UDP receive function, lets it handle (and acknowledge)
 * every datagram, then closes the session if the datagram was an in-sequence
 * CDN for this call or StopCCN for this tunnel.
 */
static void l2tp_peek(void *arg, struct udp_pcb *upcb, struct pbuf *p, const ip_addr_t *addr,
		      u16_t port)
{
	struct session *s = arg;
	const pppol2tp_pcb *l2tp = s->pcb->link_ctx_cb;
	u8_t h[12], avp[10];
	u16_t flags, len, off, mtype = 0, sid, ns;
	int result = -1, error = -1, act = 0;

	if (pbuf_copy_partial(p, h, 12, 0) == 12) {
		flags = (u16_t)(h[0] << 8 | h[1]);
		/* control message: T, L, S set; version 2 */
		if ((flags & 0xc80f) == 0xc802) {
			len = (u16_t)(h[2] << 8 | h[3]);
			sid = (u16_t)(h[6] << 8 | h[7]);
			ns = (u16_t)(h[8] << 8 | h[9]);
			if (len > p->tot_len)
				len = p->tot_len;
			/* AVPs: Message Type first, then look for an unhidden Result Code */
			for (off = 12; off + 6 <= len;) {
				u16_t alen, vendor, type;

				if (pbuf_copy_partial(p, avp, sizeof(avp), off) < 6)
					break;
				alen = (u16_t)((avp[0] << 8 | avp[1]) & 0x3ff);
				vendor = (u16_t)(avp[2] << 8 | avp[3]);
				type = (u16_t)(avp[4] << 8 | avp[5]);
				if (alen < 6 || off + alen > len)
					break;
				if (vendor == 0 && type == 0 && alen == 8 && off == 12)
					mtype = (u16_t)(avp[6] << 8 | avp[7]);
				else if (off == 12)
					break; /* not a message we can read */
				if (vendor == 0 && type == 1 && !(avp[0] & 0x40) && alen >= 8) {
					result = avp[6] << 8 | avp[7];
					if (alen >= 10)
						error = avp[8] << 8 | avp[9];
				}
				off = (u16_t)(off + alen);
			}
			/* in sequence (lwIP drops a duplicate), for this call or tunnel */
			if (ns == l2tp->peer_ns && l2tp->phase != 0) {
				if (mtype == 14 && sid == l2tp->remote_session_id)
					act = 14;
				else if (mtype == 4 && l2tp->phase == PPPOL2TP_STATE_DATA)
					act = 4;
			}
		}
	}
	s->l2tp_input(s->l2tp_input_arg, upcb, p, addr, port); /* consumes p */
	if (act && s->live) {
		ev("session %d %s result=%d error=%d\n", s->idx, act == 14 ? "cdn" : "stopccn",
		   result, error);
		force_down(s, PPPERR_CONNECT);
	}
}

/*
 * --udp-to: one datagram of the session's stream every --udp-interval ms,
 * from its PPP address (udp_sendto_if takes the netif's), until --udp-count
 * have gone. A datagram lwIP could not send (the session went down, no
 * memory) is counted as failed, so sent + failed = count in the end line.
 */
static void udp_tick(void *arg)
{
	struct session *s = arg;
	err_t err = ERR_CONN;

	if (s->up4) {
		struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)opt.udp_size, PBUF_RAM);

		err = ERR_MEM;
		if (p != NULL) {
			memset(p->payload, 'a' + s->idx % 26, p->len); /* PBUF_RAM: one piece */
			err = udp_sendto_if(s->udp_pcb, p, &opt.udp_to, opt.udp_port, &s->pppif);
			pbuf_free(p); /* udp_sendto_if does not take it */
		}
	}
	if (err == ERR_OK)
		s->udp_sent++;
	else
		s->udp_failed++;
	if (s->udp_sent + s->udp_failed < opt.udp_count) {
		sys_timeout(opt.udp_interval, udp_tick, s);
		return;
	}
	s->udp_active = 0;
	ev("session %d udp sent=%u failed=%u\n", s->idx, s->udp_sent, s->udp_failed);
}

/* SIGUSR1: every session that is up starts a stream (one at a time each). */
static void udp_start_all(void)
{
	char a[48];

	ipaddr_ntoa_r(&opt.udp_to, a, sizeof(a));
	for (int i = 0; i < opt.sessions; i++) {
		struct session *s = &sess[i];

		if (!s->up4 || s->udp_active)
			continue;
		if (s->udp_pcb == NULL && (s->udp_pcb = udp_new()) == NULL) {
			ev("session %d udp failed=%u no pcb\n", s->idx, opt.udp_count);
			continue;
		}
		s->udp_active = 1;
		s->udp_sent = s->udp_failed = 0;
		ev("session %d udp start to=%s:%u count=%u size=%u\n", s->idx, a, opt.udp_port,
		   opt.udp_count, opt.udp_size);
		udp_tick(s);
	}
}

/*
 * --tun6: session 1's IPv6 as a TUN device (IFF_TUN without packet
 * information: each read or write is one IPv6 packet), so that a real host
 * stack and its programs (a DHCPv6 client, ping) sit behind the PPP link.
 * What lnsd sends into the session goes to the TUN, lwIP's IPv6 never sees
 * it; what the kernel routes into the TUN goes out on the PPP link. lwIP
 * keeps IPv6CP (and sends its own solicitations, which lnsd answers to all
 * nodes, so the kernel sees the answers too).
 */
static int tun_fd = -1;
static unsigned tun_to, tun_from, tun_dropped;

static void tun_open(const char *name)
{
	struct ifreq ifr;

	tun_fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (tun_fd < 0)
		die("--tun6: /dev/net/tun: %s", strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(tun_fd, TUNSETIFF, &ifr) != 0)
		die("--tun6 %s: %s", name, strerror(errno));
}

int lwip_lac_ip6_input(struct pbuf *p, struct netif *inp)
{
	u8_t buf[2048];

	if (tun_fd < 0 || sess == NULL || inp != &sess[0].pppif)
		return 0;
	/* a TUN that is down (EIO) or full drops, as a link would */
	if (p->tot_len <= sizeof(buf) && pbuf_copy_partial(p, buf, p->tot_len, 0) == p->tot_len &&
	    write(tun_fd, buf, p->tot_len) == (ssize_t)p->tot_len)
		tun_to++;
	else
		tun_dropped++;
	pbuf_free(p);
	return 1;
}

/* What the kernel routed into the TUN: out on session 1's PPP link while IPv6CP is up. */
static void tun_poll(void)
{
	u8_t buf[2048];

	for (int i = 0; i < 64; i++) {
		ssize_t n = read(tun_fd, buf, sizeof(buf));
		struct pbuf *p = NULL;

		if (n <= 0)
			return;
		if (sess[0].up6 && n >= 40 && (buf[0] >> 4) == 6)
			p = pbuf_alloc(PBUF_RAW, (u16_t)n, PBUF_RAM);
		if (p == NULL) {
			tun_dropped++;
			continue;
		}
		memcpy(p->payload, buf, (size_t)n); /* PBUF_RAM: one piece */
		if (sess[0].pppif.output_ip6(&sess[0].pppif, p, NULL) == ERR_OK)
			tun_from++;
		else
			tun_dropped++;
		pbuf_free(p); /* netif output does not take it */
	}
}

/* The TAP must exist already (TUNSETIFF would quietly make a new one) and be
 * up (else every write fails with EIO): bring it up if it is not. */
static void check_tap(const char *name)
{
	struct ifreq ifr;
	int fd;

	if (strlen(name) >= IFNAMSIZ)
		die("--tap '%s': name too long", name);
	if (if_nametoindex(name) == 0)
		die("no device '%s' in this network namespace (make it with: ip tuntap add dev %s "
		    "mode tap)",
		    name, name);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket: %s", strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) != 0)
			fprintf(stderr, "lwip-lac: %s is down and cannot be set up: %s\n", name,
				strerror(errno));
	}
	close(fd);
}

static int read_sysfs(const char *dev, const char *file, char *buf, size_t len)
{
	char path[128];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", dev, file);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

/*
 * Opening the TAP gives it carrier; a Linux bridge drops what arrives on the
 * port until it has moved the port to forwarding a moment later. Frames sent
 * at once (ARP for the LNS) would be lost, and lwIP would retry only a second
 * later: wait (at most 3 s) until the port forwards, or the link is up when
 * the TAP is not in a bridge.
 */
static void wait_tap_ready(const char *name)
{
	u32_t deadline = sys_now() + 3000;
	char v[32];

	for (;;) {
		if (read_sysfs(name, "brport/state", v, sizeof(v))) {
			if (!strcmp(v, "3")) /* BR_STATE_FORWARDING */
				return;
		} else if (!read_sysfs(name, "operstate", v, sizeof(v)) || strcmp(v, "down") != 0) {
			return;
		}
		if ((s32_t)(sys_now() - deadline) >= 0) {
			fprintf(stderr, "lwip-lac: %s not forwarding after 3 s; going on\n", name);
			return;
		}
		usleep(5000);
	}
}

/* The tap fd: tapif.c keeps it as the first member of netif->state. */
static int tap_fd(void)
{
	return *(const int *)tapnif.state;
}

/* Wait for a frame or the next lwIP timer (at most max_ms), then feed every
 * frame that is ready to lwIP. */
static void poll_once(u32_t max_ms, const sigset_t *waitmask)
{
	struct pollfd pfd[2] = {{.fd = tap_fd(), .events = POLLIN},
				{.fd = tun_fd, .events = POLLIN}};
	nfds_t nfd = tun_fd >= 0 ? 2 : 1;
	u32_t ms = sys_timeouts_sleeptime();
	struct timespec ts;
	int n;

	if (ms > max_ms)
		ms = max_ms;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	n = ppoll(pfd, nfd, &ts, waitmask);
	if (n > 0 && nfd == 2 && (pfd[1].revents & POLLIN))
		tun_poll();
	for (int i = 0; n > 0 && (pfd[0].revents & POLLIN) && i < 256; i++) {
		tapif_poll(&tapnif); /* reads one frame */
		n = poll(pfd, 1, 0);
	}
	if (n < 0 && errno != EINTR)
		die("poll: %s", strerror(errno));
}

int main(int argc, char **argv)
{
	sigset_t block, waitmask;
	struct sigaction sa;
	u32_t start, stop_at = 0, force_at = 0;
	int stopping = 0, status;
	char a[48];

	setvbuf(stdout, NULL, _IOLBF, 0);
	parse_args(argc, argv);
	/* A test peer: when the shell that started it dies, stop as on SIGTERM. */
	if (!opt.keep_orphan) {
		pid_t parent = getppid();

		if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0)
			die("prctl: %s", strerror(errno));
		if (getppid() != parent)
			got_signal = SIGTERM;
	}
	srand((unsigned)getpid() ^ (unsigned)time(NULL));

	/* SIGTERM/SIGINT/SIGUSR1 are only delivered inside ppoll: no lost wake-ups. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGINT);
	sigdelset(&waitmask, SIGUSR1);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);

	lwip_init();
	t0 = sys_now();

	check_tap(opt.tap);
	if (opt.tun6)
		tun_open(opt.tun6);
	/* tapif opens an existing TAP device by name when this is set (else it
	 * would create tap0 and run ifconfig). It exits if it cannot. */
	if (setenv("PRECONFIGURED_TAPIF", opt.tap, 1) != 0)
		die("setenv: %s", strerror(errno));
	if (netif_add(&tapnif, &opt.ip, &opt.mask, opt.have_gw ? &opt.gw : IP4_ADDR_ANY4, NULL,
		      tapif_init, netif_input) == NULL)
		die("netif_add(%s) failed", opt.tap);
	memcpy(tapnif.hwaddr, opt.mac, 6); /* tapif's is fixed: one per process */
	if (opt.have_ip6) {
		s8_t idx;

		netif_create_ip6_linklocal_address(&tapnif, 1);
		if (netif_add_ip6_address(&tapnif, &opt.ip6, &idx) != ERR_OK)
			die("cannot add --ip6");
		netif_ip6_addr_set_state(&tapnif, idx, IP6_ADDR_PREFERRED);
		netif_ip6_addr_set_state(&tapnif, 0, IP6_ADDR_PREFERRED);
	}
	wait_tap_ready(opt.tap);
	netif_set_default(&tapnif);
	netif_set_up(&tapnif);

	sess = calloc((size_t)opt.sessions, sizeof(*sess));
	if (sess == NULL)
		die("out of memory");
	for (int i = 0; i < opt.sessions; i++) {
		struct session *s = &sess[i];

		s->idx = i + 1;
		if (opt.user != NULL) {
			if (opt.user_suffix && opt.sessions > 1)
				snprintf(s->user, sizeof(s->user), "%s%d", opt.user, s->idx);
			else
				snprintf(s->user, sizeof(s->user), "%s", opt.user);
		}
		s->pcb = pppol2tp_create(&s->pppif, &tapnif, &opt.lns, opt.port,
					 (const u8_t *)opt.secret,
					 opt.secret ? (u8_t)strlen(opt.secret) : 0, on_status, s);
		if (s->pcb == NULL)
			die("pppol2tp_create failed for session %d", s->idx);
		ppp_set_notify_phase_callback(s->pcb, on_phase);
		{
			pppol2tp_pcb *l2tp = s->pcb->link_ctx_cb;

			s->l2tp_input = l2tp->udp->recv;
			s->l2tp_input_arg = l2tp->udp->recv_arg;
			udp_recv(l2tp->udp, l2tp_peek, s);
		}
		ppp_set_auth(s->pcb, opt.authtype, opt.user ? s->user : NULL, opt.password);
		ppp_set_usepeerdns(s->pcb, 1);
		s->pcb->settings.lcp_echo_interval = (u8_t)opt.echo_interval;
		s->pcb->settings.lcp_echo_fails = (u8_t)opt.echo_fails;
		if (opt.restart)
			s->pcb->settings.fsm_timeout_time = (u8_t)opt.restart;
		/* Without --ipv6, IPv6CP waits silently for the LNS to start it. */
		if (!opt.ipv6)
			s->pcb->ipv6cp_fsm.flags |= OPT_SILENT;
		/* with --tun6 session 1's RAs go to the TUN: lwIP would wait for them in vain */
		netif_set_ip6_autoconfig_enabled(&s->pppif, !(opt.tun6 && i == 0));
	}

	lower(ipaddr_ntoa_r(&opt.lns, a, sizeof(a)));
	ev("lwip-lac start tap=%s mac=%02x:%02x:%02x:%02x:%02x:%02x ip=%s/%d lns=%s port=%u "
	   "sessions=%d\n",
	   opt.tap, opt.mac[0], opt.mac[1], opt.mac[2], opt.mac[3], opt.mac[4], opt.mac[5],
	   ip4addr_ntoa(&opt.ip), 32 - __builtin_popcount(~lwip_ntohl(ip4_addr_get_u32(&opt.mask))),
	   a, opt.port, opt.sessions);

	for (int i = 0; i < opt.sessions; i++) {
		sess[i].live = 1;
		if (ppp_connect(sess[i].pcb, 0) != ERR_OK) {
			sess[i].live = 0;
			ev("session %d down err=PPPERR_OPEN (%d)\n", sess[i].idx, PPPERR_OPEN);
			n_down++;
		}
	}

	start = sys_now();
	for (;;) {
		u32_t now;

		sys_check_timeouts();
		check_addr6();
		if (got_usr1) {
			got_usr1 = 0;
			if (opt.have_udp && !stopping)
				udp_start_all();
		}
		now = sys_now();
		if (!stopping &&
		    (got_signal || (opt.duration && now - start >= opt.duration * 1000u))) {
			/* Orderly stop: LCP Terminate-Request and StopCCN per session; what
			 * is still up after 2.5 s gets a StopCCN alone; out by 3 s. */
			stopping = 1;
			if (got_signal)
				ev("lwip-lac stopping reason=%s\n", strsignal(got_signal));
			else
				ev("lwip-lac stopping reason=duration\n");
			force_at = now + 2500;
			stop_at = now + 3000;
			for (int i = 0; i < opt.sessions; i++)
				if (sess[i].live)
					ppp_close(sess[i].pcb, 0);
		}
		if (stopping) {
			if (live_sessions() == 0 || (s32_t)(now - stop_at) >= 0)
				break;
			if (force_at && (s32_t)(now - force_at) >= 0) {
				force_at = 0;
				for (int i = 0; i < opt.sessions; i++)
					force_down(&sess[i], PPPERR_USER);
			}
		} else if (live_sessions() == 0) {
			break; /* every session went down by itself */
		}
		poll_once(stopping ? 50 : 1000, &waitmask);
	}
	status = stopping ? 0 : 1;
	if (opt.tun6)
		ev("tun6 dev=%s to_tun=%u from_tun=%u dropped=%u\n", opt.tun6, tun_to, tun_from,
		   tun_dropped);
	ev("lwip-lac exit status=%d up=%d down=%d\n", status, n_up, n_down);
	return status;
}
