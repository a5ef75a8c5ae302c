/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * L2TPv2 control-message codec: header parser, AVP parser and builder, hidden AVPs and the
 * tunnel-authentication response (RFC 2661 sections 3, 4 and 6; RFC 3145's PPP Disconnect
 * Cause Code AVP). Pure C with no DPDK: the control lcore calls it on punted control frames
 * and to build what it sends; the unit tests and the fuzz target call it directly. It keeps no
 * state of its own: it reads the buffers it is given, writes only the caller's message,
 * builder and output buffer, and consults the const tables in cp/l2tp_avp_table.c.
 * Every function returns 0 (or a length) on success and a negative errno on failure.
 */
#ifndef LNS_L2TP_CODEC_H
#define LNS_L2TP_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- RFC 2661 section 3.1: header ------------------------------------------------------ */

#define L2TP_HDR_T         0x8000 /* Type: 1 control, 0 data */
#define L2TP_HDR_L         0x4000 /* Length field present */
#define L2TP_HDR_S         0x0800 /* Ns and Nr present */
#define L2TP_HDR_O         0x0200 /* Offset Size present */
#define L2TP_HDR_P         0x0100 /* Priority (data messages only) */
#define L2TP_HDR_VER_MASK  0x000f
#define L2TP_VERSION       2 /* L2TPv2; 1 is L2F, 3 is L2TPv3 (RFC 3931) */
#define L2TP_VERSION_V3    3
#define L2TP_CTRL_HDR_LEN  12 /* flags, Length, Tunnel ID, Session ID, Ns, Nr */
#define L2TP_CTRL_HDR_BITS (L2TP_HDR_T | L2TP_HDR_L | L2TP_HDR_S | L2TP_VERSION)

/* ---- RFC 2661 section 3.2: control message types ---------------------------------------- */

enum l2tp_msg_type {
	/* Control Connection Management */
	L2TP_MSG_SCCRQ = 1,   /* Start-Control-Connection-Request */
	L2TP_MSG_SCCRP = 2,   /* Start-Control-Connection-Reply */
	L2TP_MSG_SCCCN = 3,   /* Start-Control-Connection-Connected */
	L2TP_MSG_STOPCCN = 4, /* Stop-Control-Connection-Notification */
	/* 5 is reserved */
	L2TP_MSG_HELLO = 6,
	/* Call Management */
	L2TP_MSG_OCRQ = 7,  /* Outgoing-Call-Request */
	L2TP_MSG_OCRP = 8,  /* Outgoing-Call-Reply */
	L2TP_MSG_OCCN = 9,  /* Outgoing-Call-Connected */
	L2TP_MSG_ICRQ = 10, /* Incoming-Call-Request */
	L2TP_MSG_ICRP = 11, /* Incoming-Call-Reply */
	L2TP_MSG_ICCN = 12, /* Incoming-Call-Connected */
	/* 13 is reserved */
	L2TP_MSG_CDN = 14, /* Call-Disconnect-Notify */
	/* Error Reporting */
	L2TP_MSG_WEN = 15, /* WAN-Error-Notify */
	/* PPP Session Control */
	L2TP_MSG_SLI = 16, /* Set-Link-Info */
};
#define L2TP_MSG_MAX 16

/* ---- RFC 2661 section 4.1: AVP header --------------------------------------------------- */

#define L2TP_AVP_M          0x8000 /* Mandatory */
#define L2TP_AVP_H          0x4000 /* Hidden */
#define L2TP_AVP_RSVD       0x3c00 /* must be 0; set means "treat as unrecognized" */
#define L2TP_AVP_LEN_MASK   0x03ff
#define L2TP_AVP_HDR_LEN    6
#define L2TP_AVP_MAX_LEN    1023
#define L2TP_AVP_MAX_VALUE  (L2TP_AVP_MAX_LEN - L2TP_AVP_HDR_LEN) /* 1017 */
#define L2TP_VENDOR_IETF    0
#define L2TP_VENDOR_3COM    43 /* RFC 3145 section 4: draft form of AVP 46 */
#define L2TP_HIDDEN_LEN_LEN 2  /* section 4.3: Length of Original Value */

/* ---- RFC 2661 section 4.4 (and RFC 3145 section 2): attribute types --------------------- */

enum l2tp_avp_type {
	/* 4.4.1 AVPs applicable to all control messages */
	L2TP_AVP_MESSAGE_TYPE = 0,
	L2TP_AVP_RANDOM_VECTOR = 36,
	/* 4.4.2 Result and Error Codes */
	L2TP_AVP_RESULT_CODE = 1,
	/* 4.4.3 Control Connection Management AVPs */
	L2TP_AVP_PROTOCOL_VERSION = 2,
	L2TP_AVP_FRAMING_CAP = 3,
	L2TP_AVP_BEARER_CAP = 4,
	L2TP_AVP_TIE_BREAKER = 5,
	L2TP_AVP_FIRMWARE_REV = 6,
	L2TP_AVP_HOST_NAME = 7,
	L2TP_AVP_VENDOR_NAME = 8,
	L2TP_AVP_TUNNEL_ID = 9,  /* Assigned Tunnel ID */
	L2TP_AVP_RX_WINDOW = 10, /* Receive Window Size */
	L2TP_AVP_CHALLENGE = 11,
	L2TP_AVP_CHALLENGE_RESP = 13,
	/* 4.4.4 Call Management AVPs */
	L2TP_AVP_Q931_CAUSE = 12,
	L2TP_AVP_SESSION_ID = 14, /* Assigned Session ID */
	L2TP_AVP_CALL_SERIAL = 15,
	L2TP_AVP_MIN_BPS = 16,
	L2TP_AVP_MAX_BPS = 17,
	L2TP_AVP_BEARER_TYPE = 18,
	L2TP_AVP_FRAMING_TYPE = 19,
	/* 20 is reserved */
	L2TP_AVP_CALLED_NUMBER = 21,
	L2TP_AVP_CALLING_NUMBER = 22,
	L2TP_AVP_SUB_ADDRESS = 23,
	L2TP_AVP_TX_SPEED = 24, /* (Tx) Connect Speed */
	L2TP_AVP_RX_SPEED = 38, /* Rx Connect Speed */
	L2TP_AVP_PHYS_CHANNEL = 25,
	L2TP_AVP_PRIVATE_GROUP = 37,
	L2TP_AVP_SEQ_REQUIRED = 39,
	/* 4.4.5 Proxy LCP and Authentication AVPs */
	L2TP_AVP_LCP_INITIAL_RX = 26, /* Initial Received LCP CONFREQ */
	L2TP_AVP_LCP_LAST_TX = 27,    /* Last Sent LCP CONFREQ */
	L2TP_AVP_LCP_LAST_RX = 28,    /* Last Received LCP CONFREQ */
	L2TP_AVP_PROXY_AUTH_TYPE = 29,
	L2TP_AVP_PROXY_AUTH_NAME = 30,
	L2TP_AVP_PROXY_AUTH_CHAL = 31,
	L2TP_AVP_PROXY_AUTH_ID = 32,
	L2TP_AVP_PROXY_AUTH_RESP = 33,
	/* 4.4.6 Call Status AVPs */
	L2TP_AVP_CALL_ERRORS = 34,
	L2TP_AVP_ACCM = 35,
	/* RFC 3145 section 2 */
	L2TP_AVP_PPP_DISCONNECT = 46, /* PPP Disconnect Cause Code */
};
#define L2TP_AVP_TABLE_SIZE 47 /* types 0..46; gaps (20, 40..45) have no entry */

/* ---- RFC 2661 section 4.4.2: Result Code values ----------------------------------------- */

/* X(value, ENUM_SUFFIX, "name") keeps each value and its name in one list. */
#define L2TP_STOPCCN_RESULTS(X)                                                                    \
	X(1, CLEAR, "general request to clear control connection")                                 \
	X(2, ERROR, "general error, see error code")                                               \
	X(3, EXISTS, "control channel already exists")                                             \
	X(4, NOT_AUTHORIZED, "requester is not authorized to establish a control channel")         \
	X(5, BAD_VERSION, "protocol version of the requester is not supported")                    \
	X(6, SHUTDOWN, "requester is being shut down")                                             \
	X(7, FSM_ERROR, "finite state machine error")

#define L2TP_CDN_RESULTS(X)                                                                        \
	X(1, LOST_CARRIER, "call disconnected due to loss of carrier")                             \
	X(2, ERROR, "call disconnected for the reason indicated in error code")                    \
	X(3, ADMIN, "call disconnected for administrative reasons")                                \
	X(4, NO_FACILITIES_TEMP, "lack of appropriate facilities (temporary condition)")           \
	X(5, NO_FACILITIES_PERM, "lack of appropriate facilities (permanent condition)")           \
	X(6, BAD_DEST, "invalid destination")                                                      \
	X(7, NO_CARRIER, "call failed due to no carrier detected")                                 \
	X(8, BUSY, "call failed due to detection of a busy signal")                                \
	X(9, NO_DIALTONE, "call failed due to lack of a dial tone")                                \
	X(10, TIMEOUT, "call was not established within time allotted by LAC")                     \
	X(11, NO_FRAMING, "call was connected but no appropriate framing was detected")

#define L2TP_GENERAL_ERRORS(X)                                                                     \
	X(0, NONE, "no general error")                                                             \
	X(1, NO_TUNNEL, "no control connection exists yet for this LAC-LNS pair")                  \
	X(2, BAD_LENGTH, "length is wrong")                                                        \
	X(3, BAD_VALUE, "field value out of range or reserved field non-zero")                     \
	X(4, NO_RESOURCES, "insufficient resources to handle this operation now")                  \
	X(5, BAD_SESSION, "session ID is invalid in this context")                                 \
	X(6, VENDOR, "generic vendor-specific error")                                              \
	X(7, TRY_ANOTHER, "try another LNS")                                                       \
	X(8, UNKNOWN_AVP, "unknown mandatory AVP received")

#define L2TP_X_ENUM_STOPCCN(v, n, s) L2TP_STOPCCN_##n = v,
#define L2TP_X_ENUM_CDN(v, n, s)     L2TP_CDN_##n = v,
#define L2TP_X_ENUM_GERR(v, n, s)    L2TP_GERR_##n = v,
enum l2tp_stopccn_result { L2TP_STOPCCN_RESULTS(L2TP_X_ENUM_STOPCCN) };
enum l2tp_cdn_result { L2TP_CDN_RESULTS(L2TP_X_ENUM_CDN) };
enum l2tp_general_error { L2TP_GENERAL_ERRORS(L2TP_X_ENUM_GERR) };

/* ---- RFC 2661 section 4.4.3: control connection values ---------------------------------- */

#define L2TP_PROTO_VER      1 /* Protocol Version AVP: Ver 1, Rev 0 */
#define L2TP_PROTO_REV      0
#define L2TP_FRAMING_SYNC   0x00000001 /* Framing Capabilities / Framing Type */
#define L2TP_FRAMING_ASYNC  0x00000002
#define L2TP_BEARER_DIGITAL 0x00000001 /* Bearer Capabilities / Bearer Type */
#define L2TP_BEARER_ANALOG  0x00000002
#define L2TP_CHAL_RESP_LEN  16 /* Challenge Response: one MD5 digest */
#define L2TP_RANDOM_VEC_LEN 16 /* what the builder sends; section 4.3 recommends >= 16 */

/* ---- RFC 2661 section 4.4.4: Q.931 Cause Code (cause values from ITU-T Q.850) ----------- */

#define L2TP_Q931_CAUSES(X)                                                                        \
	X(1, UNALLOCATED, "unallocated number")                                                    \
	X(16, NORMAL, "normal call clearing")                                                      \
	X(17, BUSY, "user busy")                                                                   \
	X(18, NO_RESPONSE, "no user responding")                                                   \
	X(19, NO_ANSWER, "no answer from user")                                                    \
	X(21, REJECTED, "call rejected")                                                           \
	X(27, DEST_OUT_OF_ORDER, "destination out of order")                                       \
	X(31, NORMAL_UNSPEC, "normal, unspecified")                                                \
	X(34, NO_CIRCUIT, "no circuit/channel available")                                          \
	X(38, NET_OUT_OF_ORDER, "network out of order")                                            \
	X(41, TEMP_FAILURE, "temporary failure")                                                   \
	X(42, CONGESTION, "switching equipment congestion")                                        \
	X(47, NO_RESOURCE, "resource unavailable, unspecified")                                    \
	X(102, TIMER_EXPIRY, "recovery on timer expiry")
#define L2TP_X_ENUM_Q931(v, n, s) L2TP_Q931_##n = v,
enum l2tp_q931_cause { L2TP_Q931_CAUSES(L2TP_X_ENUM_Q931) };
/* Cause Msg: the Q.931 message type that carried the cause */
#define L2TP_Q931_MSG_DISCONNECT  0x45
#define L2TP_Q931_MSG_RELEASE     0x4d
#define L2TP_Q931_MSG_RELEASE_CMP 0x5a

/* ---- RFC 2661 section 4.4.5: Proxy Authen Type values ----------------------------------- */

#define L2TP_PROXY_AUTH_TYPES(X)                                                                   \
	X(1, TEXT, "textual username/password exchange")                                           \
	X(2, CHAP, "PPP CHAP")                                                                     \
	X(3, PAP, "PPP PAP")                                                                       \
	X(4, NONE, "no authentication")                                                            \
	X(5, MSCHAPV1, "Microsoft CHAP version 1")
#define L2TP_X_ENUM_PAT(v, n, s) L2TP_PROXY_AUTH_##n = v,
enum l2tp_proxy_auth_type { L2TP_PROXY_AUTH_TYPES(L2TP_X_ENUM_PAT) };

/* ---- RFC 3145 section 3: PPP Disconnect Cause Code values ------------------------------- */

#define L2TP_PPP_DISC_CODES(X)                                                                     \
	/* global errors */                                                                        \
	X(0, NO_INFO, "no information available")                                                  \
	X(1, ADMIN, "administrative disconnect")                                                   \
	X(2, NO_RENEGOTIATION, "LCP renegotiation at LNS disabled, no proxy LCP")                  \
	X(3, NORMAL, "normal disconnection, LCP Terminate-Request sent")                           \
	X(4, ENCRYPTION_REFUSED, "compulsory encryption refused")                                  \
	/* LCP errors */                                                                           \
	X(5, LCP_NO_CONVERGE, "LCP failed to converge")                                            \
	X(6, LCP_SILENT, "no recognizable LCP packets received")                                   \
	X(7, LCP_MAGIC, "LCP magic number error (looped back)")                                    \
	X(8, LCP_KEEPALIVE, "LCP keepalive (echo) failure")                                        \
	X(9, LCP_ENDPOINT, "MLPPP endpoint discriminator mismatch")                                \
	X(10, LCP_MRRU, "MLPPP peer MRRU not valid for bundle")                                    \
	X(11, LCP_SSN, "MLPPP short sequence number option not valid for bundle")                  \
	X(12, LCP_CALLBACK, "callback refused")                                                    \
	/* authentication errors */                                                                \
	X(13, AUTH_TIMEOUT, "authentication timed out")                                            \
	X(14, AUTH_NAME, "authenticated name does not match MLPPP bundle")                         \
	X(15, AUTH_PROTO, "no acceptable authentication protocol")                                 \
	X(16, AUTH_FAILED, "authentication failed")                                                \
	/* NCP errors */                                                                           \
	X(17, NCP_NONE, "no NCPs available")                                                       \
	X(18, NCP_ALL_FAILED, "all NCPs failed to converge")                                       \
	X(19, NCP_ADDRESS, "NCP failed to converge on acceptable addresses")                       \
	X(20, NCP_NOT_PERMITTED, "user not permitted to use any addresses")
#define L2TP_X_ENUM_PPPD(v, n, s) L2TP_PPP_DISC_##n = v,
enum l2tp_ppp_disc_code { L2TP_PPP_DISC_CODES(L2TP_X_ENUM_PPPD) };
#define L2TP_PPP_DISC_DIR_GLOBAL 0 /* Direction field */
#define L2TP_PPP_DISC_DIR_PEER   1 /* at the peer */
#define L2TP_PPP_DISC_DIR_LOCAL  2 /* at the sender */

/* ---- tables (cp/l2tp_avp_table.c) -------------------------------------------------------- */

enum l2tp_mrule {
	L2TP_M_ANY = 0, /* either */
	L2TP_M_SET,     /* "The M bit for this AVP MUST be set to 1" */
	L2TP_M_CLEAR,   /* "... MUST be set to 0" */
};

enum l2tp_kind {
	L2TP_KIND_U16 = 0,
	L2TP_KIND_U32,
	L2TP_KIND_U64,
	L2TP_KIND_STR,     /* copied into a struct l2tp_str */
	L2TP_KIND_BYTES,   /* struct l2tp_bytes: pointer + length */
	L2TP_KIND_EMPTY,   /* presence only */
	L2TP_KIND_SPECIAL, /* composite value with its own decoder */
};

/* One row per AVP type, indexed by type. The parser and the builder are driven by it. */
struct l2tp_avp_info {
	const char *name;    /* NULL: no such AVP (reserved or undefined type) */
	const char *section; /* where the RFC defines it, e.g. "2661 4.4.3" */
	uint16_t type;
	uint8_t mrule;     /* enum l2tp_mrule */
	uint8_t kind;      /* enum l2tp_kind */
	bool hide;         /* may be hidden */
	uint16_t min, max; /* value length before hiding */
	uint16_t off;      /* offset of the value in struct l2tp_msg (not for SPECIAL) */
};

enum l2tp_scope {
	L2TP_SCOPE_TUNNEL = 0, /* unknown mandatory AVP: tear down the tunnel (StopCCN) */
	L2TP_SCOPE_SESSION,    /* ... the session (CDN) */
};

/* One row per message type of section 3.2; section 6 gives the AVP sets. */
struct l2tp_msg_info {
	const char *name; /* NULL: reserved or undefined */
	uint16_t type;
	uint8_t scope;     /* enum l2tp_scope */
	uint64_t required; /* bit n: AVP type n must be present (Message Type not listed) */
	uint64_t optional; /* bit n: AVP type n may be present (Random Vector always may) */
};

#define L2TP_BIT(avp) (UINT64_C(1) << (avp))

extern const struct l2tp_avp_info l2tp_avp_table[L2TP_AVP_TABLE_SIZE];
extern const struct l2tp_msg_info l2tp_msg_table[L2TP_MSG_MAX + 1];

/* Table row for (vendor, type), or NULL when the codec does not know the AVP. Accepts the
 * draft form of RFC 3145 (vendor 43, type 46) as AVP 46. */
const struct l2tp_avp_info *l2tp_avp_lookup(uint16_t vendor, uint16_t type);
/* Table row for a message type, or NULL for reserved and unknown types. */
const struct l2tp_msg_info *l2tp_msg_lookup(uint16_t msg_type);

const char *l2tp_avp_name(uint16_t type);     /* "Host Name"; "unknown" */
const char *l2tp_msg_name(uint16_t msg_type); /* "SCCRQ"; "unknown" */
/* Result Code meaning for StopCCN and CDN (section 4.4.2); "unknown" otherwise. */
const char *l2tp_result_name(uint16_t msg_type, uint16_t result);
const char *l2tp_general_error_name(uint16_t error);
const char *l2tp_q931_cause_name(uint16_t cause);
const char *l2tp_proxy_auth_name(uint16_t type);
const char *l2tp_ppp_disc_name(uint16_t code);

/* ---- parsed header and message ------------------------------------------------------------ */

/*
 * Any L2TPv2 header, control or data. `len` is the message length: the Length field when L is
 * set (bytes of the datagram beyond it are ignored), else the buffer length. The payload (AVPs
 * of a control message, the PPP frame of a data message) is buf[hdr_len .. len).
 */
struct l2tp_hdr {
	uint16_t flags; /* the first 16 bits as received */
	uint8_t version;
	bool ctrl, has_len, has_seq, has_offset, prio;
	uint16_t tunnel_id, session_id;
	uint16_t ns, nr;      /* when has_seq */
	uint16_t offset_size; /* when has_offset: padding skipped */
	uint32_t len;         /* message length */
	uint32_t hdr_len;     /* payload offset: header plus offset padding */
};

#define L2TP_STR_MAX     253 /* longest string kept; longer ones are cut, see msg.truncated */
#define L2TP_UNKNOWN_MAX 8   /* unrecognized AVPs remembered for the log */

/* A string value: `len` bytes of s[], then a NUL the peer did not send. Embedded NULs are
 * kept, so use len, not strlen, where it matters. */
struct l2tp_str {
	uint16_t len;
	char s[L2TP_STR_MAX + 1];
};

/* A byte-string value. For an AVP that arrived in clear, p points into the caller's buffer
 * (valid while it is); for a hidden one it points into msg.hidden_buf (valid while that
 * struct l2tp_msg is neither freed nor copied). */
struct l2tp_bytes {
	const uint8_t *p;
	uint16_t len;
};

struct l2tp_unknown_avp {
	uint16_t vendor, type;
	uint16_t len;   /* AVP length on the wire, header included */
	uint16_t flags; /* M, H and reserved bits as received */
};

struct l2tp_call_errors { /* section 4.4.6, WEN */
	uint32_t crc, framing, hw_overruns, buf_overruns, timeouts, alignment;
};

/* Room for the hideable byte-string AVPs of one message once un-hidden: Challenge, the three
 * LCP CONFREQs, Proxy Authen Challenge and Response and Private Group ID (at most 1015 octets
 * each) and Challenge Response (16). Only the first of a duplicated AVP is kept. */
#define L2TP_HIDDEN_BUF (7 * (L2TP_AVP_MAX_VALUE - L2TP_HIDDEN_LEN_LEN) + L2TP_CHAL_RESP_LEN)

struct l2tp_msg {
	struct l2tp_hdr hdr;
	bool zlb;          /* no AVPs: an acknowledgement only (section 5.8) */
	uint16_t msg_type; /* 0 for a ZLB */
	bool msg_known;    /* msg_type is in the table */
	bool msg_m;        /* M bit of the Message Type AVP: for an unknown type, set means the
			      tunnel must be cleared, clear means ignore the message (4.4.1) */

	uint64_t present;     /* bit n: AVP type n seen (vendor 0) */
	uint64_t hidden;      /* bit n: it arrived hidden */
	uint64_t duplicate;   /* bit n: seen again; the first one was kept */
	uint64_t truncated;   /* bit n: string longer than L2TP_STR_MAX, cut */
	uint64_t m_violation; /* bit n: M bit broke the table rule (lax mode only) */
	uint64_t unexpected;  /* bit n: known AVP not listed for this message in section 6 */

	/* unrecognized AVPs (unknown type, non-zero vendor or reserved bits set) */
	bool unknown_mandatory; /* one had M set: tear down per msg scope (4.2) */
	uint16_t unknown_mandatory_vendor, unknown_mandatory_type; /* the first such */
	uint16_t n_unknown; /* how many, including those past the array */
	struct l2tp_unknown_avp unknown[L2TP_UNKNOWN_MAX];

	/* 4.4.1 */
	struct l2tp_bytes random_vector; /* the last one seen */
	/* 4.4.2 */
	struct {
		uint16_t result;
		bool has_error; /* value had an Error Code */
		uint16_t error;
		struct l2tp_str msg; /* optional Error Message */
	} result;
	/* 4.4.3 */
	uint8_t proto_ver, proto_rev;
	uint32_t framing_cap, bearer_cap;
	uint64_t tie_breaker;
	uint16_t firmware_rev;
	struct l2tp_str host_name, vendor_name;
	uint16_t tunnel_id; /* Assigned Tunnel ID */
	uint16_t rx_window;
	struct l2tp_bytes challenge, challenge_resp;
	/* 4.4.4 */
	struct {
		uint16_t cause;
		uint8_t msg;
		struct l2tp_str advisory;
	} q931;
	uint16_t session_id; /* Assigned Session ID */
	uint32_t call_serial, min_bps, max_bps, bearer_type, framing_type;
	struct l2tp_str called_number, calling_number, sub_address;
	uint32_t tx_speed, rx_speed, phys_channel;
	struct l2tp_bytes private_group;
	/* 4.4.5 */
	struct l2tp_bytes lcp_initial_rx, lcp_last_tx, lcp_last_rx;
	uint16_t proxy_auth_type;
	struct l2tp_str proxy_auth_name;
	struct l2tp_bytes proxy_auth_chal, proxy_auth_resp;
	uint16_t proxy_auth_id; /* the ID is the low octet; the high one is reserved */
	/* 4.4.6 */
	struct l2tp_call_errors call_errors;
	uint32_t accm_send, accm_recv;
	/* RFC 3145 */
	struct {
		uint16_t code;
		uint16_t proto; /* PPP control protocol number, 0 for global errors */
		uint8_t direction;
		struct l2tp_str msg;
	} ppp_disc;

	uint32_t hidden_used;
	uint8_t hidden_buf[L2TP_HIDDEN_BUF]; /* un-hidden byte strings land here */
};

/* ---- errors --------------------------------------------------------------------------------- */

/* X(ENUM_SUFFIX, counter_name, "description") */
#define L2TP_ERRORS(X)                                                                             \
	X(OK, ok, "no error")                                                                      \
	X(TRUNCATED, truncated, "datagram shorter than the header its flags announce")             \
	X(BAD_VERSION, bad_version, "version is not 2")                                            \
	X(VERSION_3, version_3, "L2TPv3 message")                                                  \
	X(CTRL_FLAGS, ctrl_flags, "control message without L and S, or with O")                    \
	X(NOT_CONTROL, not_control, "data message where a control message was expected")           \
	X(BAD_LENGTH, bad_length, "Length field larger than the datagram")                         \
	X(SHORT_LENGTH, short_length, "Length field smaller than the header")                      \
	X(OFFSET_OVERRUN, offset_overrun, "offset padding runs past the message")                  \
	X(AVP_TRUNCATED, avp_truncated, "fewer than 6 octets left for an AVP header")              \
	X(AVP_SHORT, avp_short, "AVP Length below 6")                                              \
	X(AVP_OVERRUN, avp_overrun, "AVP runs past the end of the message")                        \
	X(AVP_BAD_LEN, avp_bad_len, "AVP value length invalid for its type")                       \
	X(AVP_M_BIT, avp_m_bit, "AVP M bit breaks its rule")                                       \
	X(HIDDEN_NOT_ALLOWED, hidden_not_allowed, "AVP that must not be hidden is hidden")         \
	X(HIDDEN_NO_SECRET, hidden_no_secret, "hidden AVP but no shared secret")                   \
	X(HIDDEN_NO_RV, hidden_no_rv, "hidden AVP not preceded by a Random Vector")                \
	X(HIDDEN_BAD_LEN, hidden_bad_len, "hidden AVP original length exceeds its value")          \
	X(NO_MSG_TYPE, no_msg_type, "first AVP is not Message Type")                               \
	X(MISSING_AVP, missing_avp, "required AVP missing")

#define L2TP_X_ENUM_ERR(e, n, s) L2TP_E_##e,
enum l2tp_err_code { L2TP_ERRORS(L2TP_X_ENUM_ERR) L2TP_E_COUNT };

struct l2tp_err {
	enum l2tp_err_code code;
	int avp_type; /* AVP concerned, -1 if none */
	uint16_t avp_vendor;
	uint32_t offset; /* byte offset in the buffer of the AVP or field concerned */
	char msg[160];   /* human-readable, one line, NUL-terminated */
};

/* Stable snake_case name for counters and logs ("avp_overrun"); "invalid" if out of range. */
const char *l2tp_err_name(enum l2tp_err_code code);

/* ---- parsing -------------------------------------------------------------------------------- */

/*
 * Header of a control or data message. Returns 0, -EPROTONOSUPPORT when the version is not 2
 * (h->version says which: 3 is L2TPv3), or -EBADMSG; err (may be NULL) says exactly why.
 */
int l2tp_hdr_parse(const uint8_t *buf, size_t len, struct l2tp_hdr *h);
int l2tp_hdr_parse_err(const uint8_t *buf, size_t len, struct l2tp_hdr *h, struct l2tp_err *err);

#define L2TP_PARSE_LAX_MBIT 0x1 /* M-bit rule breaches noted in msg.m_violation, not errors */

/*
 * A control message. secret may be NULL (or secret_len 0) when none is configured; hidden AVPs
 * then fail with L2TP_E_HIDDEN_NO_SECRET. Returns 0, -EPROTONOSUPPORT (version) or -EBADMSG
 * with err filled. On failure msg keeps what was parsed before the offending AVP, for logs.
 * Success can still carry news for the caller: msg.unknown_mandatory (tear down, section 4.2)
 * and !msg.msg_known (unknown message type; see msg.msg_m).
 */
int l2tp_msg_parse(const uint8_t *buf, size_t len, const uint8_t *secret, size_t secret_len,
		   struct l2tp_msg *msg, struct l2tp_err *err);
int l2tp_msg_parse_flags(const uint8_t *buf, size_t len, const uint8_t *secret, size_t secret_len,
			 unsigned int flags, struct l2tp_msg *msg, struct l2tp_err *err);

/* ---- building ------------------------------------------------------------------------------- */

/* Fills buf with len random octets (the caller's CSPRNG; tests pass a deterministic one). */
typedef void (*l2tp_random_fn)(void *arg, uint8_t *buf, size_t len);

struct l2tp_builder {
	uint8_t *buf;
	size_t cap, len;
	int err; /* first failure, sticky: later puts return it too */
	/* hiding, after l2tp_build_hide() */
	bool hide;
	const uint8_t *secret;
	size_t secret_len;
	l2tp_random_fn random;
	void *random_arg;
	uint8_t rv[L2TP_RANDOM_VEC_LEN];
};

/* Control header (T, L, S, version 2; Length, Ns and Nr 0) and the Message Type AVP. */
int l2tp_build_begin(struct l2tp_builder *b, uint8_t *buf, size_t cap, uint16_t tunnel_id,
		     uint16_t session_id, uint16_t msg_type);
/* From here on, AVPs that may be hidden go out hidden: emits a fresh Random Vector AVP now
 * and pads each hidden value with 0..15 random octets. The secret is not copied. A value over
 * 1015 octets leaves no room for the hidden length field: -EMSGSIZE, never sent in clear. */
int l2tp_build_hide(struct l2tp_builder *b, const uint8_t *secret, size_t secret_len,
		    l2tp_random_fn random, void *random_arg);
/* Fills in the Length field; returns the message length or the first error (-ENOSPC when
 * it did not fit, -EINVAL on misuse). */
int l2tp_build_end(struct l2tp_builder *b);
/* A Zero-Length Body acknowledgement; returns 12 or -ENOSPC. */
int l2tp_build_zlb(uint8_t *buf, size_t cap, uint16_t tunnel_id, uint16_t session_id);
/* Patches Ns and Nr of a built control message (the transport owns the sequence numbers). */
void l2tp_hdr_set_ns_nr(uint8_t *buf, uint16_t ns, uint16_t nr);

/*
 * Put one AVP. M comes from the table's rule (set unless the rule says clear); H follows
 * l2tp_build_hide() for AVPs that may be hidden. Each checks the type's kind and length and
 * the capacity left, and returns 0 or a negative errno (also kept in b->err).
 */
int l2tp_put_u16(struct l2tp_builder *b, uint16_t type, uint16_t v);
int l2tp_put_u32(struct l2tp_builder *b, uint16_t type, uint32_t v);
int l2tp_put_u64(struct l2tp_builder *b, uint16_t type, uint64_t v);
int l2tp_put_bytes(struct l2tp_builder *b, uint16_t type, const void *p, size_t len);
int l2tp_put_str(struct l2tp_builder *b, uint16_t type, const char *s);
int l2tp_put_empty(struct l2tp_builder *b, uint16_t type);
int l2tp_put_protocol_version(struct l2tp_builder *b, uint8_t ver, uint8_t rev);
/* error < 0: no Error Code; msg NULL: no Error Message (an Error Code 0 is sent with it) */
int l2tp_put_result(struct l2tp_builder *b, uint16_t result, int error, const char *msg);
int l2tp_put_q931(struct l2tp_builder *b, uint16_t cause, uint8_t msg, const char *advisory);
int l2tp_put_call_errors(struct l2tp_builder *b, const struct l2tp_call_errors *ce);
int l2tp_put_accm(struct l2tp_builder *b, uint32_t send, uint32_t recv);
int l2tp_put_ppp_disconnect(struct l2tp_builder *b, uint16_t code, uint16_t proto,
			    uint8_t direction, const char *msg);
/*
 * Any AVP with explicit header bits: flags holds M, H and even reserved bits as they should go
 * on the wire (H hides the value, which needs l2tp_build_hide() first). No table checks: this
 * is for vendor AVPs and for tests that need a malformed message.
 */
int l2tp_put_avp_flags(struct l2tp_builder *b, uint16_t vendor, uint16_t type, uint16_t flags,
		       const void *value, size_t len);
/* Every known AVP present in msg, in type order (Message Type and Random Vector excepted),
 * as the table says to send it: re-encodes a parsed message. */
int l2tp_put_msg_avps(struct l2tp_builder *b, const struct l2tp_msg *msg);

/* ---- tunnel authentication (RFC 2661 sections 4.4.3 and 5.1.1) --------------------------- */

/*
 * Challenge Response = MD5(msg_type as one octet || secret || challenge), msg_type being the
 * type of the message that carries the response: 2 (SCCRP) or 3 (SCCCN). Returns 0 or -EINVAL.
 */
int l2tp_challenge_response(uint8_t msg_type, const uint8_t *secret, size_t secret_len,
			    const uint8_t *challenge, size_t challenge_len,
			    uint8_t out[L2TP_CHAL_RESP_LEN]);

#endif /* LNS_L2TP_CODEC_H */
