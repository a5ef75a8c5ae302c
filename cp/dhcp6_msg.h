/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DHCPv6 messages (RFC 8415) as lns's server on a subscriber's PPP link reads
 * and writes them: the client/server message format, its options, the IA
 * options with their addresses and prefixes (RFC 8415 sections 8 and 21) and
 * DNS Recursive Name Servers (RFC 3646). Pure functions on buffers, no state:
 * any thread (the control lcore, the unit tests and the fuzzer).
 *
 *  Client/server message (section 8):
 *  +---------------+-----------------------------------------------+
 *  |   msg-type    |               transaction-id                  |
 *  +---------------+-----------------------------------------------+
 *  |                            options                            |
 *  +---------------------------------------------------------------+
 *
 *  Option (section 21.1):
 *  +-------------------------------+-------------------------------+
 *  |          option-code          |           option-len          |
 *  +-------------------------------+-------------------------------+
 *  |                  option-data (option-len octets)              |
 *  +---------------------------------------------------------------+
 */
#ifndef LNS_DHCP6_MSG_H
#define LNS_DHCP6_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* RFC 8415 section 7.2: UDP ports */
#define DHCP6_CLIENT_PORT 546
#define DHCP6_SERVER_PORT 547

/* Section 7.3: message types */
enum dhcp6_type {
	DHCP6_SOLICIT = 1,
	DHCP6_ADVERTISE = 2,
	DHCP6_REQUEST = 3,
	DHCP6_CONFIRM = 4,
	DHCP6_RENEW = 5,
	DHCP6_REBIND = 6,
	DHCP6_REPLY = 7,
	DHCP6_RELEASE = 8,
	DHCP6_DECLINE = 9,
	DHCP6_RECONFIGURE = 10,
	DHCP6_INFORMATION_REQUEST = 11,
	DHCP6_RELAY_FORW = 12,
	DHCP6_RELAY_REPL = 13,
};

/* Section 21 (and RFC 3646 section 3): option codes */
enum dhcp6_opt {
	DHCP6_OPT_CLIENTID = 1,
	DHCP6_OPT_SERVERID = 2,
	DHCP6_OPT_IA_NA = 3,
	DHCP6_OPT_IA_TA = 4,
	DHCP6_OPT_IAADDR = 5,
	DHCP6_OPT_ORO = 6,
	DHCP6_OPT_PREFERENCE = 7,
	DHCP6_OPT_ELAPSED_TIME = 8,
	DHCP6_OPT_STATUS_CODE = 13,
	DHCP6_OPT_RAPID_COMMIT = 14,
	DHCP6_OPT_DNS_SERVERS = 23, /* RFC 3646 */
	DHCP6_OPT_IA_PD = 25,
	DHCP6_OPT_IAPREFIX = 26,
};

/* Section 21.13: status codes */
enum dhcp6_status {
	DHCP6_SUCCESS = 0,
	DHCP6_UNSPEC_FAIL = 1,
	DHCP6_NO_ADDRS_AVAIL = 2,
	DHCP6_NO_BINDING = 3,
	DHCP6_NOT_ON_LINK = 4,
	DHCP6_USE_MULTICAST = 5,
	DHCP6_NO_PREFIX_AVAIL = 6,
};

/* Section 11.1: a DUID is at most 128 octets after its 2-octet type. */
#define DHCP6_DUID_MAX 130
/* Fixed lengths of option data (sections 21.4, 21.5, 21.6, 21.9, 21.21, 21.22) */
#define DHCP6_IA_NA_LEN    12 /* IAID, T1, T2 */
#define DHCP6_IA_TA_LEN    4  /* IAID */
#define DHCP6_IA_PD_LEN    12 /* IAID, T1, T2 */
#define DHCP6_IAADDR_LEN   24 /* address, preferred and valid lifetimes */
#define DHCP6_IAPREFIX_LEN 25 /* preferred and valid lifetimes, prefix length, prefix */

/*
 * What a message holds that the server looks at. At most DHCP6_MAX_IA IA
 * options are kept (a CPE sends one IA_NA and one IA_PD) and at most
 * DHCP6_MAX_IAPREFIX prefixes of each IA_PD; further ones are checked for
 * form and counted but not kept, so that a reply always fits in one packet.
 */
#define DHCP6_MAX_IA       4
#define DHCP6_MAX_IAPREFIX 4

struct dhcp6_iaprefix {
	uint32_t preferred, valid;
	uint8_t plen;
	uint8_t prefix[16];
};

struct dhcp6_ia {
	uint16_t code;         /* DHCP6_OPT_IA_NA, _IA_TA or _IA_PD */
	uint32_t iaid, t1, t2; /* T1 and T2 are 0 in an IA_TA */
	unsigned n_addrs;      /* IA Address options (IA_NA, IA_TA) */
	unsigned n_prefixes;   /* IA Prefix options (IA_PD), all of them */
	struct dhcp6_iaprefix prefixes[DHCP6_MAX_IAPREFIX]; /* the first ones */
};

struct dhcp6_msg {
	uint8_t type;
	uint32_t xid;                         /* 24 bits */
	const uint8_t *client_id, *server_id; /* the DUIDs, NULL when absent */
	uint16_t client_id_len, server_id_len;
	bool rapid_commit;
	bool oro_dns;      /* the Option Request option names DNS Recursive Name Servers */
	unsigned n_ia_all; /* IA options of any kind, all of them */
	unsigned n_ia;     /* kept in ia[] */
	struct dhcp6_ia ia[DHCP6_MAX_IA];
};

/*
 * Parse a client/server message (not a relay message) of len octets. 0, or
 * -EBADMSG when it is malformed: shorter than its header, an option running
 * past its container, an option shorter than its fixed part, a DUID outside
 * 3..130 octets, an odd Option Request, a non-empty Rapid Commit, one of the
 * single options (Client and Server Identifier, Option Request, Rapid
 * Commit, Elapsed Time) twice, a prefix length above 128. Pointers in m point
 * into b.
 */
int dhcp6_parse(const uint8_t *b, size_t len, struct dhcp6_msg *m);

/* A message being written into a fixed buffer. Writes past cap set full and
 * write nothing; the caller drops a message that ended up full. */
struct dhcp6_buf {
	uint8_t *b;
	size_t cap, len;
	bool full;
};

void dhcp6_buf_init(struct dhcp6_buf *o, uint8_t *b, size_t cap, uint8_t type, uint32_t xid);
/* An option with data (v may be NULL when len is 0). */
void dhcp6_put(struct dhcp6_buf *o, uint16_t code, const void *v, size_t len);
void dhcp6_put_u32(struct dhcp6_buf *o, uint32_t v); /* raw data, inside an open option */
void dhcp6_put_raw(struct dhcp6_buf *o, const void *v, size_t len);
/* An option whose data follows (nested options): its offset for dhcp6_close. */
size_t dhcp6_open(struct dhcp6_buf *o, uint16_t code);
void dhcp6_close(struct dhcp6_buf *o, size_t at);
/* A Status Code option (section 21.13) with a UTF-8 message. */
void dhcp6_put_status(struct dhcp6_buf *o, uint16_t status, const char *msg);

#endif
