/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RADIUS attribute tables (standard space, Microsoft RFC 2548, lns's own vendor) and the
 * names of codes and values. Const data read by cp/radius_codec.c on the control lcore, by the
 * tests and by the fuzz target; nothing here is written.
 */
#include <stddef.h>

#include "cp/radius_codec.h"

#define V RADIUS_ATTR_MAX_VAL

/* ROW(type, name, RFC section, kind, min, max, multiple-of, tagged): value lengths. */
#define ROW(t, nm, sec, k, mn, mx, ml, tg)                                                         \
	[t] = {.name = nm,                                                                         \
	       .rfc = sec,                                                                         \
	       .type = t,                                                                          \
	       .kind = RADIUS_KIND_##k,                                                            \
	       .min = mn,                                                                          \
	       .max = mx,                                                                          \
	       .mult = ml,                                                                         \
	       .tagged = tg}
/* The common shapes: 4-octet integer (and time), text of 1..253 octets ("strings of length
 * zero MUST NOT be sent", RFC 2865 section 5), opaque octets of 1..253, IPv4 address. */
#define INT(t, nm, sec)  ROW(t, nm, sec, INTEGER, 4, 4, 0, false)
#define STR(t, nm, sec)  ROW(t, nm, sec, STRING, 1, V, 0, false)
#define OCT(t, nm, sec)  ROW(t, nm, sec, OCTETS, 1, V, 0, false)
#define ADDR(t, nm, sec) ROW(t, nm, sec, IPADDR, 4, 4, 0, false)
/* RFC 2868 section 3: a tagged integer carries the tag in its high octet; a tagged string
 * has an optional tag octet, so its shortest value is one octet of string. */
#define TINT(t, nm, sec) ROW(t, nm, sec, INTEGER, 4, 4, 0, true)
#define TSTR(t, nm, sec) ROW(t, nm, sec, STRING, 1, V, 0, true)

const struct radius_attr_info radius_attr_table[256] = {
	/* RFC 2865 section 5 */
	STR(RADIUS_ATTR_USER_NAME, "User-Name", "2865 5.1"),
	/* 5.2: 16..128 octets, a multiple of 16 */
	ROW(RADIUS_ATTR_USER_PASSWORD, "User-Password", "2865 5.2", OCTETS, 16, 128, 16, false),
	/* 5.3: CHAP Ident then the 16-octet response */
	ROW(RADIUS_ATTR_CHAP_PASSWORD, "CHAP-Password", "2865 5.3", OCTETS, 17, 17, 0, false),
	ADDR(RADIUS_ATTR_NAS_IP_ADDRESS, "NAS-IP-Address", "2865 5.4"),
	INT(RADIUS_ATTR_NAS_PORT, "NAS-Port", "2865 5.5"),
	INT(RADIUS_ATTR_SERVICE_TYPE, "Service-Type", "2865 5.6"),
	INT(RADIUS_ATTR_FRAMED_PROTOCOL, "Framed-Protocol", "2865 5.7"),
	ADDR(RADIUS_ATTR_FRAMED_IP_ADDRESS, "Framed-IP-Address", "2865 5.8"),
	ADDR(RADIUS_ATTR_FRAMED_IP_NETMASK, "Framed-IP-Netmask", "2865 5.9"),
	INT(RADIUS_ATTR_FRAMED_ROUTING, "Framed-Routing", "2865 5.10"),
	STR(RADIUS_ATTR_FILTER_ID, "Filter-Id", "2865 5.11"),
	INT(RADIUS_ATTR_FRAMED_MTU, "Framed-MTU", "2865 5.12"),
	INT(RADIUS_ATTR_FRAMED_COMPRESSION, "Framed-Compression", "2865 5.13"),
	ADDR(RADIUS_ATTR_LOGIN_IP_HOST, "Login-IP-Host", "2865 5.14"),
	INT(RADIUS_ATTR_LOGIN_SERVICE, "Login-Service", "2865 5.15"),
	INT(RADIUS_ATTR_LOGIN_TCP_PORT, "Login-TCP-Port", "2865 5.16"),
	STR(RADIUS_ATTR_REPLY_MESSAGE, "Reply-Message", "2865 5.18"),
	STR(RADIUS_ATTR_CALLBACK_NUMBER, "Callback-Number", "2865 5.19"),
	STR(RADIUS_ATTR_CALLBACK_ID, "Callback-Id", "2865 5.20"),
	STR(RADIUS_ATTR_FRAMED_ROUTE, "Framed-Route", "2865 5.22"),
	INT(RADIUS_ATTR_FRAMED_IPX_NETWORK, "Framed-IPX-Network", "2865 5.23"),
	OCT(RADIUS_ATTR_STATE, "State", "2865 5.24"),
	OCT(RADIUS_ATTR_CLASS, "Class", "2865 5.25"),
	/* 5.26: Vendor-Id (4) then at least one octet of string */
	ROW(RADIUS_ATTR_VENDOR_SPECIFIC, "Vendor-Specific", "2865 5.26", VSA, 5, V, 0, false),
	INT(RADIUS_ATTR_SESSION_TIMEOUT, "Session-Timeout", "2865 5.27"),
	INT(RADIUS_ATTR_IDLE_TIMEOUT, "Idle-Timeout", "2865 5.28"),
	INT(RADIUS_ATTR_TERMINATION_ACTION, "Termination-Action", "2865 5.29"),
	STR(RADIUS_ATTR_CALLED_STATION_ID, "Called-Station-Id", "2865 5.30"),
	STR(RADIUS_ATTR_CALLING_STATION_ID, "Calling-Station-Id", "2865 5.31"),
	STR(RADIUS_ATTR_NAS_IDENTIFIER, "NAS-Identifier", "2865 5.32"),
	OCT(RADIUS_ATTR_PROXY_STATE, "Proxy-State", "2865 5.33"),
	STR(RADIUS_ATTR_LOGIN_LAT_SERVICE, "Login-LAT-Service", "2865 5.34"),
	STR(RADIUS_ATTR_LOGIN_LAT_NODE, "Login-LAT-Node", "2865 5.35"),
	ROW(RADIUS_ATTR_LOGIN_LAT_GROUP, "Login-LAT-Group", "2865 5.36", OCTETS, 32, 32, 0, false),
	INT(RADIUS_ATTR_FRAMED_APPLETALK_LINK, "Framed-AppleTalk-Link", "2865 5.37"),
	INT(RADIUS_ATTR_FRAMED_APPLETALK_NETWORK, "Framed-AppleTalk-Network", "2865 5.38"),
	STR(RADIUS_ATTR_FRAMED_APPLETALK_ZONE, "Framed-AppleTalk-Zone", "2865 5.39"),
	/* 5.40: "at least 5 octets" */
	ROW(RADIUS_ATTR_CHAP_CHALLENGE, "CHAP-Challenge", "2865 5.40", OCTETS, 5, V, 0, false),
	INT(RADIUS_ATTR_NAS_PORT_TYPE, "NAS-Port-Type", "2865 5.41"),
	INT(RADIUS_ATTR_PORT_LIMIT, "Port-Limit", "2865 5.42"),
	STR(RADIUS_ATTR_LOGIN_LAT_PORT, "Login-LAT-Port", "2865 5.43"),

	/* RFC 2866 section 5 */
	INT(RADIUS_ATTR_ACCT_STATUS_TYPE, "Acct-Status-Type", "2866 5.1"),
	INT(RADIUS_ATTR_ACCT_DELAY_TIME, "Acct-Delay-Time", "2866 5.2"),
	INT(RADIUS_ATTR_ACCT_INPUT_OCTETS, "Acct-Input-Octets", "2866 5.3"),
	INT(RADIUS_ATTR_ACCT_OUTPUT_OCTETS, "Acct-Output-Octets", "2866 5.4"),
	STR(RADIUS_ATTR_ACCT_SESSION_ID, "Acct-Session-Id", "2866 5.5"),
	INT(RADIUS_ATTR_ACCT_AUTHENTIC, "Acct-Authentic", "2866 5.6"),
	INT(RADIUS_ATTR_ACCT_SESSION_TIME, "Acct-Session-Time", "2866 5.7"),
	INT(RADIUS_ATTR_ACCT_INPUT_PACKETS, "Acct-Input-Packets", "2866 5.8"),
	INT(RADIUS_ATTR_ACCT_OUTPUT_PACKETS, "Acct-Output-Packets", "2866 5.9"),
	INT(RADIUS_ATTR_ACCT_TERMINATE_CAUSE, "Acct-Terminate-Cause", "2866 5.10"),
	STR(RADIUS_ATTR_ACCT_MULTI_SESSION_ID, "Acct-Multi-Session-Id", "2866 5.11"),
	INT(RADIUS_ATTR_ACCT_LINK_COUNT, "Acct-Link-Count", "2866 5.12"),

	/* RFC 2869 section 5 */
	INT(RADIUS_ATTR_ACCT_INPUT_GIGAWORDS, "Acct-Input-Gigawords", "2869 5.1"),
	INT(RADIUS_ATTR_ACCT_OUTPUT_GIGAWORDS, "Acct-Output-Gigawords", "2869 5.2"),
	INT(RADIUS_ATTR_EVENT_TIMESTAMP, "Event-Timestamp", "2869 5.3"),
	ROW(RADIUS_ATTR_ARAP_PASSWORD, "ARAP-Password", "2869 5.4", OCTETS, 16, 16, 0, false),
	ROW(RADIUS_ATTR_ARAP_FEATURES, "ARAP-Features", "2869 5.5", OCTETS, 14, 14, 0, false),
	INT(RADIUS_ATTR_ARAP_ZONE_ACCESS, "ARAP-Zone-Access", "2869 5.6"),
	INT(RADIUS_ATTR_ARAP_SECURITY, "ARAP-Security", "2869 5.7"),
	STR(RADIUS_ATTR_ARAP_SECURITY_DATA, "ARAP-Security-Data", "2869 5.8"),
	INT(RADIUS_ATTR_PASSWORD_RETRY, "Password-Retry", "2869 5.9"),
	INT(RADIUS_ATTR_PROMPT, "Prompt", "2869 5.10"),
	STR(RADIUS_ATTR_CONNECT_INFO, "Connect-Info", "2869 5.11"),
	STR(RADIUS_ATTR_CONFIGURATION_TOKEN, "Configuration-Token", "2869 5.12"),
	OCT(RADIUS_ATTR_EAP_MESSAGE, "EAP-Message", "2869 5.13"),
	/* the parser refuses any other length (RFC 3579 section 3.2) */
	ROW(RADIUS_ATTR_MESSAGE_AUTHENTICATOR, "Message-Authenticator", "2869 5.14", OCTETS, 16, 16,
	    0, false),
	ROW(RADIUS_ATTR_ARAP_CHALLENGE_RESPONSE, "ARAP-Challenge-Response", "2869 5.15", OCTETS, 8,
	    8, 0, false),
	INT(RADIUS_ATTR_ACCT_INTERIM_INTERVAL, "Acct-Interim-Interval", "2869 5.16"),
	STR(RADIUS_ATTR_NAS_PORT_ID, "NAS-Port-Id", "2869 5.17"),
	STR(RADIUS_ATTR_FRAMED_POOL, "Framed-Pool", "2869 5.18"),

	/* RFC 4675 section 2: VLAN attributes (their first octet is not an RFC 2868 tag) */
	INT(RADIUS_ATTR_EGRESS_VLANID, "Egress-VLANID", "4675 2.1"),
	INT(RADIUS_ATTR_INGRESS_FILTERS, "Ingress-Filters", "4675 2.2"),
	/* tag indication octet, then the name */
	ROW(RADIUS_ATTR_EGRESS_VLAN_NAME, "Egress-VLAN-Name", "4675 2.3", STRING, 2, V, 0, false),
	ROW(RADIUS_ATTR_USER_PRIORITY_TABLE, "User-Priority-Table", "4675 2.4", OCTETS, 8, 8, 0,
	    false),

	/* RFC 2868 section 3: tunnel attributes */
	TINT(RADIUS_ATTR_TUNNEL_TYPE, "Tunnel-Type", "2868 3.1"),
	TINT(RADIUS_ATTR_TUNNEL_MEDIUM_TYPE, "Tunnel-Medium-Type", "2868 3.2"),
	TSTR(RADIUS_ATTR_TUNNEL_CLIENT_ENDPOINT, "Tunnel-Client-Endpoint", "2868 3.3"),
	TSTR(RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, "Tunnel-Server-Endpoint", "2868 3.4"),
	/* 3.5: tag (always), salt (2), then the hidden string ("Length >= 5") */
	ROW(RADIUS_ATTR_TUNNEL_PASSWORD, "Tunnel-Password", "2868 3.5", OCTETS, 3, V, 0, true),
	TSTR(RADIUS_ATTR_TUNNEL_PRIVATE_GROUP_ID, "Tunnel-Private-Group-ID", "2868 3.6"),
	TSTR(RADIUS_ATTR_TUNNEL_ASSIGNMENT_ID, "Tunnel-Assignment-ID", "2868 3.7"),
	TINT(RADIUS_ATTR_TUNNEL_PREFERENCE, "Tunnel-Preference", "2868 3.8"),
	TSTR(RADIUS_ATTR_TUNNEL_CLIENT_AUTH_ID, "Tunnel-Client-Auth-ID", "2868 3.9"),
	TSTR(RADIUS_ATTR_TUNNEL_SERVER_AUTH_ID, "Tunnel-Server-Auth-ID", "2868 3.10"),

	/* RFC 2867 section 4: tunnel accounting */
	STR(RADIUS_ATTR_ACCT_TUNNEL_CONNECTION, "Acct-Tunnel-Connection", "2867 4.1"),
	INT(RADIUS_ATTR_ACCT_TUNNEL_PACKETS_LOST, "Acct-Tunnel-Packets-Lost", "2867 4.2"),

	OCT(RADIUS_ATTR_CHARGEABLE_USER_IDENTITY, "Chargeable-User-Identity", "4372 2.1"),
	STR(RADIUS_ATTR_NAS_FILTER_RULE, "NAS-Filter-Rule", "4849 2"),

	/* RFC 3162 section 2: IPv6 */
	ROW(RADIUS_ATTR_NAS_IPV6_ADDRESS, "NAS-IPv6-Address", "3162 2.1", IPV6ADDR, 16, 16, 0,
	    false),
	ROW(RADIUS_ATTR_FRAMED_INTERFACE_ID, "Framed-Interface-Id", "3162 2.2", IFID, 8, 8, 0,
	    false),
	ROW(RADIUS_ATTR_FRAMED_IPV6_PREFIX, "Framed-IPv6-Prefix", "3162 2.3", IPV6PREFIX, 2, 18, 0,
	    false),
	ROW(RADIUS_ATTR_LOGIN_IPV6_HOST, "Login-IPv6-Host", "3162 2.4", IPV6ADDR, 16, 16, 0, false),
	STR(RADIUS_ATTR_FRAMED_IPV6_ROUTE, "Framed-IPv6-Route", "3162 2.5"),
	STR(RADIUS_ATTR_FRAMED_IPV6_POOL, "Framed-IPv6-Pool", "3162 2.6"),

	INT(RADIUS_ATTR_ERROR_CAUSE, "Error-Cause", "5176 3.5"),
	ROW(RADIUS_ATTR_DELEGATED_IPV6_PREFIX, "Delegated-IPv6-Prefix", "4818 3", IPV6PREFIX, 2, 18,
	    0, false),

	/* RFC 5580 section 4: operator and location */
	ROW(RADIUS_ATTR_OPERATOR_NAME, "Operator-Name", "5580 4.1", STRING, 2, V, 0, false),
	ROW(RADIUS_ATTR_LOCATION_INFORMATION, "Location-Information", "5580 4.2", OCTETS, 20, V, 0,
	    false),
	ROW(RADIUS_ATTR_LOCATION_DATA, "Location-Data", "5580 4.3", OCTETS, 2, V, 0, false),
	ROW(RADIUS_ATTR_BASIC_LOCATION_POLICY_RULES, "Basic-Location-Policy-Rules", "5580 4.4",
	    OCTETS, 10, V, 0, false),
	STR(RADIUS_ATTR_EXTENDED_LOCATION_POLICY_RULES, "Extended-Location-Policy-Rules",
	    "5580 4.5"),
	INT(RADIUS_ATTR_LOCATION_CAPABLE, "Location-Capable", "5580 4.6"),
	INT(RADIUS_ATTR_REQUESTED_LOCATION_INFO, "Requested-Location-Info", "5580 4.7"),

	/* RFC 6911 section 3: IPv6 access */
	ROW(RADIUS_ATTR_FRAMED_IPV6_ADDRESS, "Framed-IPv6-Address", "6911 3.1", IPV6ADDR, 16, 16, 0,
	    false),
	ROW(RADIUS_ATTR_DNS_SERVER_IPV6_ADDRESS, "DNS-Server-IPv6-Address", "6911 3.2", IPV6ADDR,
	    16, 16, 0, false),
	ROW(RADIUS_ATTR_ROUTE_IPV6_INFORMATION, "Route-IPv6-Information", "6911 3.3", IPV6PREFIX, 2,
	    18, 0, false),
	STR(RADIUS_ATTR_DELEGATED_IPV6_PREFIX_POOL, "Delegated-IPv6-Prefix-Pool", "6911 3.4"),
	STR(RADIUS_ATTR_STATEFUL_IPV6_ADDRESS_POOL, "Stateful-IPv6-Address-Pool", "6911 3.5"),
};

/* RFC 2548 section 2: Microsoft vendor-specific attributes (the ones PPP authentication and
 * address assignment use). */
static const struct radius_attr_info ms_attrs[] = {
	/* 2.1.3: Ident, Flags, LM-Response (24), NT-Response (24) */
	ROW(RADIUS_MS_CHAP_RESPONSE, "MS-CHAP-Response", "2548 2.1.3", OCTETS, 50, 50, 0, false),
	/* 2.1.5: Ident then the error text ("Vendor-Length > 3") */
	ROW(RADIUS_MS_CHAP_ERROR, "MS-CHAP-Error", "2548 2.1.5", STRING, 2, V, 0, false),
	INT(RADIUS_MS_MPPE_ENCRYPTION_POLICY, "MS-MPPE-Encryption-Policy", "2548 2.4.4"),
	INT(RADIUS_MS_MPPE_ENCRYPTION_TYPES, "MS-MPPE-Encryption-Types", "2548 2.4.5"),
	ROW(RADIUS_MS_CHAP_DOMAIN, "MS-CHAP-Domain", "2548 2.1.4", STRING, 2, V, 0, false),
	/* 2.1.2: 8 octets for MS-CHAP, 16 for MS-CHAP-V2; the RFC only says "> 2" */
	OCT(RADIUS_MS_CHAP_CHALLENGE, "MS-CHAP-Challenge", "2548 2.1.2"),
	/* 2.4.1: 32 octets hidden like User-Password */
	ROW(RADIUS_MS_CHAP_MPPE_KEYS, "MS-CHAP-MPPE-Keys", "2548 2.4.1", OCTETS, 32, 32, 0, false),
	/* 2.4.2, 2.4.3: Salt (2) then the hidden Key-Length, Key, Padding ("> 4") */
	ROW(RADIUS_MS_MPPE_SEND_KEY, "MS-MPPE-Send-Key", "2548 2.4.2", OCTETS, 3, V, 0, false),
	ROW(RADIUS_MS_MPPE_RECV_KEY, "MS-MPPE-Recv-Key", "2548 2.4.3", OCTETS, 3, V, 0, false),
	/* 2.3.2: Ident, Flags, Peer-Challenge (16), Reserved (8), Response (24) */
	ROW(RADIUS_MS_CHAP2_RESPONSE, "MS-CHAP2-Response", "2548 2.3.2", OCTETS, 50, 50, 0, false),
	/* 2.3.3: Ident then "S=" and 40 hexadecimal digits */
	ROW(RADIUS_MS_CHAP2_SUCCESS, "MS-CHAP2-Success", "2548 2.3.3", OCTETS, 43, 43, 0, false),
	ADDR(RADIUS_MS_PRIMARY_DNS_SERVER, "MS-Primary-DNS-Server", "2548 2.7.6"),
	ADDR(RADIUS_MS_SECONDARY_DNS_SERVER, "MS-Secondary-DNS-Server", "2548 2.7.7"),
	ADDR(RADIUS_MS_PRIMARY_NBNS_SERVER, "MS-Primary-NBNS-Server", "2548 2.7.8"),
	ADDR(RADIUS_MS_SECONDARY_NBNS_SERVER, "MS-Secondary-NBNS-Server", "2548 2.7.9"),
};

/* lns's own attributes: docs/radius-dictionary. */
static const struct radius_attr_info lns_attrs[] = {
	INT(RADIUS_LNS_RATE_LIMIT_UP, "LNS-Rate-Limit-Up", "lns"),
	INT(RADIUS_LNS_RATE_LIMIT_DOWN, "LNS-Rate-Limit-Down", "lns"),
	INT(RADIUS_LNS_RATE_LIMIT_BURST, "LNS-Rate-Limit-Burst", "lns"),
};

#define N(a) ((unsigned)(sizeof(a) / sizeof((a)[0])))

const struct radius_vendor_info radius_vendor_table[] = {
	{.id = RADIUS_VENDOR_MS, .name = "Microsoft", .attrs = ms_attrs, .n_attrs = N(ms_attrs)},
	{.id = RADIUS_VENDOR_LNS, .name = "lns", .attrs = lns_attrs, .n_attrs = N(lns_attrs)},
};
const unsigned radius_n_vendors = N(radius_vendor_table);

const struct radius_vendor_info *radius_vendor_lookup(uint32_t vendor)
{
	unsigned i;

	for (i = 0; i < radius_n_vendors; i++)
		if (radius_vendor_table[i].id == vendor)
			return &radius_vendor_table[i];
	return NULL;
}

const struct radius_attr_info *radius_attr_lookup(uint32_t vendor, uint8_t type)
{
	const struct radius_vendor_info *vi;
	const struct radius_attr_info *ai;

	if (vendor == 0)
		ai = &radius_attr_table[type];
	else if ((vi = radius_vendor_lookup(vendor)) != NULL && type < vi->n_attrs)
		ai = &vi->attrs[type];
	else
		return NULL;
	return ai->name != NULL ? ai : NULL;
}

const char *radius_attr_name(uint32_t vendor, uint8_t type)
{
	const struct radius_attr_info *ai = radius_attr_lookup(vendor, type);

	return ai != NULL ? ai->name : "unknown";
}

const char *radius_vendor_name(uint32_t vendor)
{
	const struct radius_vendor_info *vi = radius_vendor_lookup(vendor);

	return vi != NULL ? vi->name : "unknown";
}

const char *radius_code_name(uint8_t code)
{
	switch (code) {
	case RADIUS_ACCESS_REQUEST:
		return "Access-Request";
	case RADIUS_ACCESS_ACCEPT:
		return "Access-Accept";
	case RADIUS_ACCESS_REJECT:
		return "Access-Reject";
	case RADIUS_ACCOUNTING_REQUEST:
		return "Accounting-Request";
	case RADIUS_ACCOUNTING_RESPONSE:
		return "Accounting-Response";
	case RADIUS_ACCESS_CHALLENGE:
		return "Access-Challenge";
	case RADIUS_STATUS_SERVER:
		return "Status-Server";
	case RADIUS_DISCONNECT_REQUEST:
		return "Disconnect-Request";
	case RADIUS_DISCONNECT_ACK:
		return "Disconnect-ACK";
	case RADIUS_DISCONNECT_NAK:
		return "Disconnect-NAK";
	case RADIUS_COA_REQUEST:
		return "CoA-Request";
	case RADIUS_COA_ACK:
		return "CoA-ACK";
	case RADIUS_COA_NAK:
		return "CoA-NAK";
	}
	return "unknown";
}

#define X_CASE(v, n, s)                                                                            \
	case v:                                                                                    \
		return s;

const char *radius_error_cause_name(uint32_t cause)
{
	switch (cause) {
		RADIUS_ERROR_CAUSES(X_CASE)
	}
	return "unknown";
}

const char *radius_terminate_cause_name(uint32_t cause)
{
	switch (cause) {
		RADIUS_TERMINATE_CAUSES(X_CASE)
	}
	return "unknown";
}

#define X_VERIFY_NAME(n, s) [RADIUS_##n] = s,
static const char *const verify_names[] = {RADIUS_VERIFY_RESULTS(X_VERIFY_NAME)};

const char *radius_verify_name(enum radius_verify v)
{
	if ((unsigned)v < N(verify_names))
		return verify_names[v];
	return "unknown";
}
