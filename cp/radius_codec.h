/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RADIUS packet codec: packet parser, attribute builder, the authenticators of requests and
 * responses, Message-Authenticator, User-Password hiding (RFC 2865, 2866, 2868, 2869, 3162,
 * 3579, 4818, 5176, 5080). Pure C with no DPDK: the control lcore calls it for the RADIUS
 * client and the dynamic-authorization (DAE) server; the unit tests and the fuzz target call it
 * directly. It keeps no state: it reads the caller's buffers and the const tables of
 * cp/radius_dict.c, and writes only the caller's struct radius_pkt, builder and buffer.
 * Functions return 0 (or a length) on success and a negative errno on failure.
 */
#ifndef LNS_RADIUS_CODEC_H
#define LNS_RADIUS_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netinet/in.h>

/* ---- RFC 2865 section 3: packet format ---------------------------------------------------- */

#define RADIUS_HDR_LEN      20   /* Code, Identifier, Length, Authenticator */
#define RADIUS_AUTH_LEN     16   /* Request/Response Authenticator */
#define RADIUS_MIN_LEN      20   /* "minimum length is 20" */
#define RADIUS_MAX_LEN      4096 /* "maximum length is 4096" (RFC 7930 allows more over TCP) */
#define RADIUS_ATTR_HDR_LEN 2    /* section 5: Type, Length */
#define RADIUS_ATTR_MAX_VAL 253  /* 255 minus the attribute header */
#define RADIUS_AUTH_PORT    1812
#define RADIUS_ACCT_PORT    1813
#define RADIUS_DAE_PORT     3799 /* RFC 5176 section 3 */

enum radius_code {
	/* RFC 2865 section 3 */
	RADIUS_ACCESS_REQUEST = 1,
	RADIUS_ACCESS_ACCEPT = 2,
	RADIUS_ACCESS_REJECT = 3,
	/* RFC 2866 section 3 */
	RADIUS_ACCOUNTING_REQUEST = 4,
	RADIUS_ACCOUNTING_RESPONSE = 5,
	/* RFC 2865 section 3 */
	RADIUS_ACCESS_CHALLENGE = 11,
	/* RFC 5997 section 3: Status-Server (Access-Request rules, Message-Authenticator MUST) */
	RADIUS_STATUS_SERVER = 12,
	/* RFC 5176 section 2.3 */
	RADIUS_DISCONNECT_REQUEST = 40,
	RADIUS_DISCONNECT_ACK = 41,
	RADIUS_DISCONNECT_NAK = 42,
	RADIUS_COA_REQUEST = 43,
	RADIUS_COA_ACK = 44,
	RADIUS_COA_NAK = 45,
};

/* ---- attribute types -------------------------------------------------------------------- */

enum radius_attr_type {
	/* RFC 2865 section 5 */
	RADIUS_ATTR_USER_NAME = 1,
	RADIUS_ATTR_USER_PASSWORD = 2,
	RADIUS_ATTR_CHAP_PASSWORD = 3,
	RADIUS_ATTR_NAS_IP_ADDRESS = 4,
	RADIUS_ATTR_NAS_PORT = 5,
	RADIUS_ATTR_SERVICE_TYPE = 6,
	RADIUS_ATTR_FRAMED_PROTOCOL = 7,
	RADIUS_ATTR_FRAMED_IP_ADDRESS = 8,
	RADIUS_ATTR_FRAMED_IP_NETMASK = 9,
	RADIUS_ATTR_FRAMED_ROUTING = 10,
	RADIUS_ATTR_FILTER_ID = 11,
	RADIUS_ATTR_FRAMED_MTU = 12,
	RADIUS_ATTR_FRAMED_COMPRESSION = 13,
	RADIUS_ATTR_LOGIN_IP_HOST = 14,
	RADIUS_ATTR_LOGIN_SERVICE = 15,
	RADIUS_ATTR_LOGIN_TCP_PORT = 16,
	RADIUS_ATTR_REPLY_MESSAGE = 18,
	RADIUS_ATTR_CALLBACK_NUMBER = 19,
	RADIUS_ATTR_CALLBACK_ID = 20,
	RADIUS_ATTR_FRAMED_ROUTE = 22,
	RADIUS_ATTR_FRAMED_IPX_NETWORK = 23,
	RADIUS_ATTR_STATE = 24,
	RADIUS_ATTR_CLASS = 25,
	RADIUS_ATTR_VENDOR_SPECIFIC = 26,
	RADIUS_ATTR_SESSION_TIMEOUT = 27,
	RADIUS_ATTR_IDLE_TIMEOUT = 28,
	RADIUS_ATTR_TERMINATION_ACTION = 29,
	RADIUS_ATTR_CALLED_STATION_ID = 30,
	RADIUS_ATTR_CALLING_STATION_ID = 31,
	RADIUS_ATTR_NAS_IDENTIFIER = 32,
	RADIUS_ATTR_PROXY_STATE = 33,
	RADIUS_ATTR_LOGIN_LAT_SERVICE = 34,
	RADIUS_ATTR_LOGIN_LAT_NODE = 35,
	RADIUS_ATTR_LOGIN_LAT_GROUP = 36,
	RADIUS_ATTR_FRAMED_APPLETALK_LINK = 37,
	RADIUS_ATTR_FRAMED_APPLETALK_NETWORK = 38,
	RADIUS_ATTR_FRAMED_APPLETALK_ZONE = 39,
	RADIUS_ATTR_CHAP_CHALLENGE = 60,
	RADIUS_ATTR_NAS_PORT_TYPE = 61,
	RADIUS_ATTR_PORT_LIMIT = 62,
	RADIUS_ATTR_LOGIN_LAT_PORT = 63,
	/* RFC 2866 section 5 */
	RADIUS_ATTR_ACCT_STATUS_TYPE = 40,
	RADIUS_ATTR_ACCT_DELAY_TIME = 41,
	RADIUS_ATTR_ACCT_INPUT_OCTETS = 42,
	RADIUS_ATTR_ACCT_OUTPUT_OCTETS = 43,
	RADIUS_ATTR_ACCT_SESSION_ID = 44,
	RADIUS_ATTR_ACCT_AUTHENTIC = 45,
	RADIUS_ATTR_ACCT_SESSION_TIME = 46,
	RADIUS_ATTR_ACCT_INPUT_PACKETS = 47,
	RADIUS_ATTR_ACCT_OUTPUT_PACKETS = 48,
	RADIUS_ATTR_ACCT_TERMINATE_CAUSE = 49,
	RADIUS_ATTR_ACCT_MULTI_SESSION_ID = 50,
	RADIUS_ATTR_ACCT_LINK_COUNT = 51,
	/* RFC 2869 section 5 */
	RADIUS_ATTR_ACCT_INPUT_GIGAWORDS = 52,
	RADIUS_ATTR_ACCT_OUTPUT_GIGAWORDS = 53,
	RADIUS_ATTR_EVENT_TIMESTAMP = 55,
	RADIUS_ATTR_ARAP_PASSWORD = 70,
	RADIUS_ATTR_ARAP_FEATURES = 71,
	RADIUS_ATTR_ARAP_ZONE_ACCESS = 72,
	RADIUS_ATTR_ARAP_SECURITY = 73,
	RADIUS_ATTR_ARAP_SECURITY_DATA = 74,
	RADIUS_ATTR_PASSWORD_RETRY = 75,
	RADIUS_ATTR_PROMPT = 76,
	RADIUS_ATTR_CONNECT_INFO = 77,
	RADIUS_ATTR_CONFIGURATION_TOKEN = 78,
	RADIUS_ATTR_EAP_MESSAGE = 79,
	RADIUS_ATTR_MESSAGE_AUTHENTICATOR = 80, /* also RFC 3579 section 3.2 */
	RADIUS_ATTR_ARAP_CHALLENGE_RESPONSE = 84,
	RADIUS_ATTR_ACCT_INTERIM_INTERVAL = 85,
	RADIUS_ATTR_NAS_PORT_ID = 87,
	RADIUS_ATTR_FRAMED_POOL = 88,
	/* RFC 4675 section 2 */
	RADIUS_ATTR_EGRESS_VLANID = 56,
	RADIUS_ATTR_INGRESS_FILTERS = 57,
	RADIUS_ATTR_EGRESS_VLAN_NAME = 58,
	RADIUS_ATTR_USER_PRIORITY_TABLE = 59,
	/* RFC 2868 section 3 (tagged) */
	RADIUS_ATTR_TUNNEL_TYPE = 64,
	RADIUS_ATTR_TUNNEL_MEDIUM_TYPE = 65,
	RADIUS_ATTR_TUNNEL_CLIENT_ENDPOINT = 66,
	RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT = 67,
	RADIUS_ATTR_TUNNEL_PASSWORD = 69,
	RADIUS_ATTR_TUNNEL_PRIVATE_GROUP_ID = 81,
	RADIUS_ATTR_TUNNEL_ASSIGNMENT_ID = 82,
	RADIUS_ATTR_TUNNEL_PREFERENCE = 83,
	RADIUS_ATTR_TUNNEL_CLIENT_AUTH_ID = 90,
	RADIUS_ATTR_TUNNEL_SERVER_AUTH_ID = 91,
	/* RFC 2867 section 4 */
	RADIUS_ATTR_ACCT_TUNNEL_CONNECTION = 68,
	RADIUS_ATTR_ACCT_TUNNEL_PACKETS_LOST = 86,
	/* RFC 4372 section 2 */
	RADIUS_ATTR_CHARGEABLE_USER_IDENTITY = 89,
	/* RFC 4849 section 2 */
	RADIUS_ATTR_NAS_FILTER_RULE = 92,
	/* RFC 3162 section 2 */
	RADIUS_ATTR_NAS_IPV6_ADDRESS = 95,
	RADIUS_ATTR_FRAMED_INTERFACE_ID = 96,
	RADIUS_ATTR_FRAMED_IPV6_PREFIX = 97,
	RADIUS_ATTR_LOGIN_IPV6_HOST = 98,
	RADIUS_ATTR_FRAMED_IPV6_ROUTE = 99,
	RADIUS_ATTR_FRAMED_IPV6_POOL = 100,
	/* RFC 5176 section 3.5 */
	RADIUS_ATTR_ERROR_CAUSE = 101,
	/* RFC 4818 section 3 */
	RADIUS_ATTR_DELEGATED_IPV6_PREFIX = 123,
	/* RFC 5580 section 4 */
	RADIUS_ATTR_OPERATOR_NAME = 126,
	RADIUS_ATTR_LOCATION_INFORMATION = 127,
	RADIUS_ATTR_LOCATION_DATA = 128,
	RADIUS_ATTR_BASIC_LOCATION_POLICY_RULES = 129,
	RADIUS_ATTR_EXTENDED_LOCATION_POLICY_RULES = 130,
	RADIUS_ATTR_LOCATION_CAPABLE = 131,
	RADIUS_ATTR_REQUESTED_LOCATION_INFO = 132,
	/* RFC 6911 section 3 */
	RADIUS_ATTR_FRAMED_IPV6_ADDRESS = 168,
	RADIUS_ATTR_DNS_SERVER_IPV6_ADDRESS = 169,
	RADIUS_ATTR_ROUTE_IPV6_INFORMATION = 170,
	RADIUS_ATTR_DELEGATED_IPV6_PREFIX_POOL = 171,
	RADIUS_ATTR_STATEFUL_IPV6_ADDRESS_POOL = 172,
};

/* ---- RFC 2865 section 5.26: vendors ------------------------------------------------------ */

/* Vendor-Id (4), Vendor type (1), Vendor length (1); so at most 247 octets of value */
#define RADIUS_VSA_HDR_LEN 6
#define RADIUS_VSA_MAX_VAL (RADIUS_ATTR_MAX_VAL - RADIUS_VSA_HDR_LEN)
/* Microsoft (RFC 2548); lns's own: the PEN RFC 5612 reserves for documentation, which a
 * deployment with its own PEN replaces (docs/radius-dictionary) */
#define RADIUS_VENDOR_MS  311
#define RADIUS_VENDOR_LNS 32473

/* RFC 2548 section 2: Microsoft vendor-specific attributes */
enum radius_ms_attr {
	RADIUS_MS_CHAP_RESPONSE = 1,
	RADIUS_MS_CHAP_ERROR = 2,
	RADIUS_MS_MPPE_ENCRYPTION_POLICY = 7,
	RADIUS_MS_MPPE_ENCRYPTION_TYPES = 8,
	RADIUS_MS_CHAP_DOMAIN = 10,
	RADIUS_MS_CHAP_CHALLENGE = 11,
	RADIUS_MS_CHAP_MPPE_KEYS = 12,
	RADIUS_MS_MPPE_SEND_KEY = 16,
	RADIUS_MS_MPPE_RECV_KEY = 17,
	RADIUS_MS_CHAP2_RESPONSE = 25,
	RADIUS_MS_CHAP2_SUCCESS = 26,
	RADIUS_MS_PRIMARY_DNS_SERVER = 28,
	RADIUS_MS_SECONDARY_DNS_SERVER = 29,
	RADIUS_MS_PRIMARY_NBNS_SERVER = 30,
	RADIUS_MS_SECONDARY_NBNS_SERVER = 31,
};

/* lns's own attributes, vendor RADIUS_VENDOR_LNS (docs/radius-dictionary) */
enum radius_lns_attr {
	RADIUS_LNS_RATE_LIMIT_UP = 1,    /* integer, kbit/s, subscriber to network */
	RADIUS_LNS_RATE_LIMIT_DOWN = 2,  /* integer, kbit/s, network to subscriber */
	RADIUS_LNS_RATE_LIMIT_BURST = 3, /* integer, kbit */
};

/* ---- attribute values ---------------------------------------------------------------------- */

/* RFC 2865 section 5.6 Service-Type (the values lns uses) */
#define RADIUS_SERVICE_LOGIN          1
#define RADIUS_SERVICE_FRAMED         2
#define RADIUS_SERVICE_AUTHORIZE_ONLY 17 /* RFC 5176 section 3.2 */
/* RFC 2865 section 5.7 Framed-Protocol */
#define RADIUS_FRAMED_PROTOCOL_PPP 1
/* RFC 2865 section 5.41 NAS-Port-Type */
#define RADIUS_NAS_PORT_TYPE_VIRTUAL 5
/* RFC 2865 section 5.29 Termination-Action */
#define RADIUS_TERMINATION_DEFAULT 0
#define RADIUS_TERMINATION_REQUEST 1
/* RFC 2866 section 5.1 Acct-Status-Type */
#define RADIUS_ACCT_STATUS_START          1
#define RADIUS_ACCT_STATUS_STOP           2
#define RADIUS_ACCT_STATUS_INTERIM_UPDATE 3 /* RFC 2869 section 2.1 */
#define RADIUS_ACCT_STATUS_ACCOUNTING_ON  7
#define RADIUS_ACCT_STATUS_ACCOUNTING_OFF 8
/* RFC 2866 section 5.6 Acct-Authentic */
#define RADIUS_ACCT_AUTHENTIC_RADIUS 1
#define RADIUS_ACCT_AUTHENTIC_LOCAL  2
#define RADIUS_ACCT_AUTHENTIC_REMOTE 3
/* RFC 2868 section 3.1 Tunnel-Type, section 3.2 Tunnel-Medium-Type */
#define RADIUS_TUNNEL_TYPE_L2TP   3
#define RADIUS_TUNNEL_MEDIUM_IPV4 1
#define RADIUS_TUNNEL_MEDIUM_IPV6 2
#define RADIUS_TAG_MAX            0x1f /* RFC 2868 section 3: tags 0x01..0x1f; 0 is none */

/* X(value, ENUM_SUFFIX, "name"): values and names in one list. */

/* RFC 2866 section 5.10 Acct-Terminate-Cause */
#define RADIUS_TERMINATE_CAUSES(X)                                                                 \
	X(1, USER_REQUEST, "User Request")                                                         \
	X(2, LOST_CARRIER, "Lost Carrier")                                                         \
	X(3, LOST_SERVICE, "Lost Service")                                                         \
	X(4, IDLE_TIMEOUT, "Idle Timeout")                                                         \
	X(5, SESSION_TIMEOUT, "Session Timeout")                                                   \
	X(6, ADMIN_RESET, "Admin Reset")                                                           \
	X(7, ADMIN_REBOOT, "Admin Reboot")                                                         \
	X(8, PORT_ERROR, "Port Error")                                                             \
	X(9, NAS_ERROR, "NAS Error")                                                               \
	X(10, NAS_REQUEST, "NAS Request")                                                          \
	X(11, NAS_REBOOT, "NAS Reboot")                                                            \
	X(12, PORT_UNNEEDED, "Port Unneeded")                                                      \
	X(13, PORT_PREEMPTED, "Port Preempted")                                                    \
	X(14, PORT_SUSPENDED, "Port Suspended")                                                    \
	X(15, SERVICE_UNAVAILABLE, "Service Unavailable")                                          \
	X(16, CALLBACK, "Callback")                                                                \
	X(17, USER_ERROR, "User Error")                                                            \
	X(18, HOST_REQUEST, "Host Request")
#define RADIUS_X_ENUM_TERM(v, n, s) RADIUS_TERM_##n = v,
enum radius_terminate_cause { RADIUS_TERMINATE_CAUSES(RADIUS_X_ENUM_TERM) };

/* RFC 5176 section 3.5 Error-Cause */
#define RADIUS_ERROR_CAUSES(X)                                                                     \
	/* 2xx: success */                                                                         \
	X(201, RESIDUAL_SESSION_CONTEXT_REMOVED, "Residual Session Context Removed")               \
	X(202, INVALID_EAP_PACKET, "Invalid EAP Packet (Ignored)")                                 \
	/* 4xx: fatal errors committed by the RADIUS server */                                     \
	X(401, UNSUPPORTED_ATTRIBUTE, "Unsupported Attribute")                                     \
	X(402, MISSING_ATTRIBUTE, "Missing Attribute")                                             \
	X(403, NAS_IDENTIFICATION_MISMATCH, "NAS Identification Mismatch")                         \
	X(404, INVALID_REQUEST, "Invalid Request")                                                 \
	X(405, UNSUPPORTED_SERVICE, "Unsupported Service")                                         \
	X(406, UNSUPPORTED_EXTENSION, "Unsupported Extension")                                     \
	X(407, INVALID_ATTRIBUTE_VALUE, "Invalid Attribute Value")                                 \
	/* 5xx: fatal errors committed by the NAS or a proxy */                                    \
	X(501, ADMINISTRATIVELY_PROHIBITED, "Administratively Prohibited")                         \
	X(502, REQUEST_NOT_ROUTABLE, "Request Not Routable (Proxy)")                               \
	X(503, SESSION_CONTEXT_NOT_FOUND, "Session Context Not Found")                             \
	X(504, SESSION_CONTEXT_NOT_REMOVABLE, "Session Context Not Removable")                     \
	X(505, OTHER_PROXY_PROCESSING_ERROR, "Other Proxy Processing Error")                       \
	X(506, RESOURCES_UNAVAILABLE, "Resources Unavailable")                                     \
	X(507, REQUEST_INITIATED, "Request Initiated")                                             \
	X(508, MULTIPLE_SESSION_SELECTION_UNSUPPORTED, "Multiple Session Selection Unsupported")
#define RADIUS_X_ENUM_ERRC(v, n, s) RADIUS_ERROR_##n = v,
enum radius_error_cause { RADIUS_ERROR_CAUSES(RADIUS_X_ENUM_ERRC) };

/* ---- the attribute table (cp/radius_dict.c) ------------------------------------------------ */

/* Value kinds, after RFC 8044's data types. */
enum radius_kind {
	RADIUS_KIND_OCTETS = 0, /* any octets (also what unknown attributes are) */
	RADIUS_KIND_STRING,     /* text (UTF-8 by RFC 2865 section 5, not NUL-terminated) */
	RADIUS_KIND_IPADDR,     /* 4 octets, network order */
	RADIUS_KIND_INTEGER,    /* 4 octets, network order (also "time") */
	RADIUS_KIND_IPV6ADDR,   /* 16 octets */
	RADIUS_KIND_IPV6PREFIX, /* RFC 3162 section 2.3: reserved, prefix-length, prefix */
	RADIUS_KIND_IFID,       /* 8 octets, RFC 3162 section 2.2 */
	RADIUS_KIND_VSA,        /* RFC 2865 section 5.26: Vendor-Id then sub-attributes */
};

/*
 * One row per attribute the codec knows. The parser checks each known attribute's value length
 * (and for some kinds its form) against its row, the names come from it, and so does
 * docs/radius-codec.md. For a tagged attribute (RFC 2868 section 3) the tag is part of the
 * value: for an integer it is the high octet; for a string it is an optional first octet
 * 0x01..0x1f; Tunnel-Password always has one.
 */
struct radius_attr_info {
	const char *name; /* NULL: the codec does not know this type */
	const char *rfc;  /* where it is defined, e.g. "2865 5.1" */
	uint8_t type;
	uint8_t kind;     /* enum radius_kind */
	uint8_t min, max; /* value length */
	uint8_t mult;     /* when non-zero the value length is a multiple of it */
	bool tagged;
};

struct radius_vendor_info {
	uint32_t id;
	const char *name;
	const struct radius_attr_info *attrs; /* indexed by vendor type */
	unsigned n_attrs;
};

extern const struct radius_attr_info radius_attr_table[256];
extern const struct radius_vendor_info radius_vendor_table[];
extern const unsigned radius_n_vendors;

/* Row for (vendor, type); vendor 0 is the standard space. NULL when unknown. */
const struct radius_attr_info *radius_attr_lookup(uint32_t vendor, uint8_t type);
const struct radius_vendor_info *radius_vendor_lookup(uint32_t vendor);

/* Names for logs; "unknown" when the codec has none (never NULL). */
const char *radius_code_name(uint8_t code);                  /* "Access-Request" */
const char *radius_attr_name(uint32_t vendor, uint8_t type); /* "User-Name", "MS-CHAP2-Success" */
const char *radius_vendor_name(uint32_t vendor);             /* "Microsoft" */
const char *radius_error_cause_name(uint32_t cause);         /* RFC 5176 */
const char *radius_terminate_cause_name(uint32_t cause);     /* RFC 2866 */

/* ---- parser -------------------------------------------------------------------------------- */

/* One attribute, or one sub-attribute of a Vendor-Specific attribute. v points into the
 * buffer given to radius_parse() and is valid while that buffer is. */
struct radius_attr {
	uint8_t type; /* 26 for a VSA sub-attribute */
	uint8_t len;  /* value length */
	const uint8_t *v;
	uint32_t vendor; /* != 0: a sub-attribute of a VSA, vtype is its type */
	uint8_t vtype;
	bool bad; /* known attribute whose length or form breaks its table row: kept for the log */
};

#define RADIUS_MAX_ATTRS 128

struct radius_pkt {
	uint8_t code, id;
	uint16_t len; /* Length field: octets of the datagram beyond it are ignored */
	const uint8_t *authenticator;
	struct radius_attr a[RADIUS_MAX_ATTRS];
	unsigned n;
	int msg_auth;   /* index of Message-Authenticator in a[], -1 none */
	unsigned n_bad; /* how many entries have bad set */
};

/*
 * Parses a RADIUS packet. Returns 0, or -EBADMSG when: the buffer or the Length field is below
 * 20 octets, Length is larger than the buffer or than 4096 (RFC 2865 section 3); an attribute
 * length is below 2 or runs past Length; Message-Authenticator is not 16 octets or appears
 * twice (RFC 3579 section 3.2); more than RADIUS_MAX_ATTRS entries. A Vendor-Specific attribute
 * whose value does not follow the section 5.26 layout (Vendor-Id with a zero high octet, then
 * sub-attributes whose lengths add up exactly) is kept whole as a plain attribute 26. A known
 * attribute with a wrong length is kept with `bad` set.
 */
int radius_parse(const uint8_t *buf, size_t len, struct radius_pkt *p);

/* First attribute of `type` in the standard space (vendor 0), or NULL. */
const struct radius_attr *radius_find(const struct radius_pkt *p, uint8_t type);
/* Next one after `prev` (a pointer into p->a), or NULL: for Class, Proxy-State, Framed-Route. */
const struct radius_attr *radius_find_next(const struct radius_pkt *p,
					   const struct radius_attr *prev);
const struct radius_attr *radius_find_vsa(const struct radius_pkt *p, uint32_t vendor,
					  uint8_t vtype);

int radius_get_u32(const struct radius_attr *a, uint32_t *v);         /* -EINVAL unless 4 octets */
int radius_get_addr(const struct radius_attr *a, struct in_addr *ip); /* -EINVAL unless 4 */
int radius_get_addr6(const struct radius_attr *a, struct in6_addr *ip); /* -EINVAL unless 16 */
/* RFC 3162 section 2.3 / RFC 4818: -EINVAL unless 2..18 octets, length <= 128 and the prefix
 * octets present cover it; bits past the length are cleared in *prefix. */
int radius_get_ipv6_prefix(const struct radius_attr *a, struct in6_addr *prefix, uint8_t *plen);
/* Copies a text value into s (size n) with a terminating NUL: -ENOSPC if it does not fit,
 * -EINVAL if it holds a NUL. */
int radius_get_str(const struct radius_attr *a, char *s, size_t n);
/* RFC 2868 section 3.1 integer (Tunnel-Type, Tunnel-Medium-Type, Tunnel-Preference): the tag
 * (high octet, 0..0x1f) in *tag and the low 24 bits in *v; -EINVAL unless 4 octets and a tag. */
int radius_get_tagged_u32(const struct radius_attr *a, uint8_t *tag, uint32_t *v);
/* RFC 2868 section 3: the tag of a tagged attribute of the standard space, 0 when it has none
 * (or for any other attribute); *off (may be NULL) gets where the value after the tag starts:
 * 1 when a string or Tunnel-Password begins with a tag octet (0x00..0x1f; 0x00 is a tag octet
 * left unused), else 0. */
uint8_t radius_get_tag(const struct radius_attr *a, size_t *off);

/* ---- builder ------------------------------------------------------------------------------- */

struct radius_builder {
	uint8_t *buf;
	size_t cap, len;
	int err; /* sticky first error */
	uint8_t code;
	int msg_auth_off; /* offset of the Message-Authenticator value, -1 none */
};

/*
 * Starts a packet in buf (capacity cap; at most 4096 octets are used). authenticator: the
 * random Request Authenticator of an Access-Request or Status-Server (required there); for
 * other codes it is ignored and the end functions compute the field.
 */
int radius_build_begin(struct radius_builder *b, uint8_t *buf, size_t cap, uint8_t code, uint8_t id,
		       const uint8_t authenticator[16]);
/* Each put returns 0 or the builder's sticky error: -ENOSPC (does not fit), -EINVAL (bad
 * argument). Nothing is written once an error is recorded. */
int radius_put(struct radius_builder *b, uint8_t type, const void *v, size_t len); /* 1..253 */
int radius_put_u32(struct radius_builder *b, uint8_t type, uint32_t v);
int radius_put_str(struct radius_builder *b, uint8_t type, const char *s);
int radius_put_addr(struct radius_builder *b, uint8_t type, struct in_addr a);
int radius_put_addr6(struct radius_builder *b, uint8_t type, const struct in6_addr *a);
/* RFC 3162 section 2.3: sent with all 16 prefix octets, bits past plen cleared. */
int radius_put_ipv6_prefix(struct radius_builder *b, uint8_t type, const struct in6_addr *prefix,
			   uint8_t plen);
/* RFC 2865 section 5.26 layout, one sub-attribute per attribute 26; value 1..247 octets. */
int radius_put_vsa(struct radius_builder *b, uint32_t vendor, uint8_t vtype, const void *v,
		   size_t len);
int radius_put_vsa_u32(struct radius_builder *b, uint32_t vendor, uint8_t vtype, uint32_t v);
/* RFC 2868 section 3: tag octet (1..0x1f, or 0 to send none) then the value (1..252). */
int radius_put_tagged(struct radius_builder *b, uint8_t type, uint8_t tag, const void *v,
		      size_t len);
/* RFC 2868 section 3.1 integer form: the tag replaces the high octet; v must fit 24 bits. */
int radius_put_tagged_u32(struct radius_builder *b, uint8_t type, uint8_t tag, uint32_t v);
/* Re-emits a parsed entry as it arrived (empty values allowed): for proxies and the fuzzer. */
int radius_put_attr(struct radius_builder *b, const struct radius_attr *a);
/* RFC 2865 section 5.2: hides pw (0..128 octets) with the builder's Request Authenticator.
 * Access-Request only (-EINVAL otherwise, and for an empty secret). */
int radius_put_user_password(struct radius_builder *b, const void *pw, size_t len,
			     const uint8_t *secret, size_t slen);
/* RFC 3579 section 3.2: 16 zero octets now, filled in by the end functions. Put it first:
 * draft-ietf-radext-deprecating-radius / the Blast-RADIUS advice. Once per packet. */
int radius_put_message_authenticator(struct radius_builder *b);

/*
 * Finishes a request: sets Length; Access-Request and Status-Server: Message-Authenticator
 * (HMAC-MD5 keyed with the secret over the packet with its Request Authenticator);
 * Accounting-Request (RFC 2866 section 3), Disconnect-Request and CoA-Request (RFC 5176
 * section 2.3): Message-Authenticator over the packet with a zero Authenticator field, then
 * Request Authenticator = MD5(Code+ID+Length+16 zero octets+Attributes+Secret).
 * Returns the length, or the first error (-EINVAL for a response code or an empty secret).
 */
int radius_build_end_request(struct radius_builder *b, const uint8_t *secret, size_t slen);
/*
 * Finishes a response (Access-Accept/Reject/Challenge, Accounting-Response, CoA-ACK/NAK,
 * Disconnect-ACK/NAK): Message-Authenticator over the packet with req_auth in the
 * Authenticator field, then Response Authenticator = MD5(Code+ID+Length+req_auth+Attributes+
 * Secret). Returns the length or the first error.
 */
int radius_build_end_response(struct radius_builder *b, const uint8_t req_auth[16],
			      const uint8_t *secret, size_t slen);

/* ---- verifiers ----------------------------------------------------------------------------- */

#define RADIUS_VERIFY_RESULTS(X)                                                                   \
	X(OK, "ok")                                                                                \
	X(BAD_AUTHENTICATOR, "bad authenticator")                                                  \
	X(NO_MSG_AUTH, "Message-Authenticator missing")                                            \
	X(BAD_MSG_AUTH, "bad Message-Authenticator")                                               \
	X(BAD_CODE, "code not verifiable in this direction")
#define RADIUS_X_ENUM_VERIFY(n, s) RADIUS_##n,
enum radius_verify { RADIUS_VERIFY_RESULTS(RADIUS_X_ENUM_VERIFY) };

/*
 * A response to the request whose authenticator was req_auth: the Response Authenticator
 * first, then Message-Authenticator (computed with req_auth in the Authenticator field, RFC
 * 3579 section 3.2, RFC 5176 section 3.4). require_msg_auth: a response without one is
 * RADIUS_NO_MSG_AUTH; lns sets it for Access-Accept/Reject/Challenge (the Blast-RADIUS rule,
 * CVE-2024-3596). p must come from radius_parse(buf, len). RADIUS_BAD_CODE for request codes.
 */
enum radius_verify radius_verify_response(const uint8_t *buf, size_t len,
					  const struct radius_pkt *p, const uint8_t req_auth[16],
					  const uint8_t *secret, size_t slen,
					  bool require_msg_auth);
/*
 * A request: Accounting-Request, CoA-Request and Disconnect-Request have their Request
 * Authenticator checked, then Message-Authenticator (zero Authenticator field) when present or
 * required; Access-Request and Status-Server have a random authenticator, so only their
 * Message-Authenticator is checked (always required for Status-Server, RFC 5997 section 3;
 * an Access-Request without one and require_msg_auth false is RADIUS_OK with nothing
 * checked). RADIUS_BAD_CODE for response codes.
 */
enum radius_verify radius_verify_request(const uint8_t *buf, size_t len, const struct radius_pkt *p,
					 const uint8_t *secret, size_t slen, bool require_msg_auth);
const char *radius_verify_name(enum radius_verify v);

/* ---- hidden values ------------------------------------------------------------------------- */

#define RADIUS_PASSWORD_MAX 128 /* RFC 2865 section 5.2 */

/* RFC 2865 section 5.2 inverse. *out_len: on entry the size of out, on return the password
 * length with trailing NULs removed. -EINVAL unless the value is 16..128 octets, a multiple of
 * 16; -ENOSPC if out is smaller than the value. */
int radius_decode_user_password(const struct radius_attr *a, const uint8_t req_auth[16],
				const uint8_t *secret, size_t slen, uint8_t *out, size_t *out_len);
/* RFC 2868 section 3.5 Tunnel-Password: tag, salt, then the hidden Data-Length-prefixed
 * string; also RFC 2548 sections 2.4.2 and 2.4.3 MS-MPPE-Send-Key and MS-MPPE-Recv-Key (the
 * same hiding, no tag, Key-Length prefix). The form follows the attribute; -EINVAL for any
 * other attribute or a malformed value. *out_len as above; on return the data length. */
int radius_decode_salted(const struct radius_attr *a, const uint8_t req_auth[16],
			 const uint8_t *secret, size_t slen, uint8_t *out, size_t *out_len);

#endif /* LNS_RADIUS_CODEC_H */
