/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The L2TPv2 AVP and message tables (RFC 2661 sections 3.2, 4.4 and 6; RFC 3145) and the names
 * of their code values. Const data read by the codec on the control lcore, by the tests and by
 * the fuzz target; nothing here is written after start-up.
 */
#include <stddef.h>

#include "cp/l2tp_codec.h"

#define V          L2TP_AVP_MAX_VALUE
#define OFF(field) ((uint16_t)offsetof(struct l2tp_msg, field))

/*
 * One row per AVP of RFC 2661 section 4.4 plus RFC 3145's type 46. Columns: M-bit rule and
 * whether the AVP may be hidden, as the RFC's "The M bit for this AVP MUST be ..." and "This
 * AVP MAY/MUST NOT be hidden" sentences say; value length (before hiding) min..max; value kind;
 * where the parser stores it. The Message Type's M bit carries the message's own M rule
 * (section 4.4.1); the parser checks it only for known message types.
 */
#define AVP(t, nm, sec, m, h, mn, mx, k, o)                                                        \
	[t] = {.name = nm,                                                                         \
	       .section = sec,                                                                     \
	       .type = t,                                                                          \
	       .mrule = L2TP_M_##m,                                                                \
	       .hide = h,                                                                          \
	       .min = mn,                                                                          \
	       .max = mx,                                                                          \
	       .kind = L2TP_KIND_##k,                                                              \
	       .off = o}

const struct l2tp_avp_info l2tp_avp_table[L2TP_AVP_TABLE_SIZE] = {
	/* AVP(type, name, RFC section, M rule, may be hidden, min, max, kind, field) */
	/* 4.4.1 AVPs applicable to all control messages */
	AVP(L2TP_AVP_MESSAGE_TYPE, "Message Type", "2661 4.4.1", SET, false, 2, 2, U16,
	    OFF(msg_type)),
	AVP(L2TP_AVP_RANDOM_VECTOR, "Random Vector", "2661 4.4.1", SET, false, 0, V, BYTES,
	    OFF(random_vector)),
	/* 4.4.2 Result and Error Codes: 2 octets, or 4 and more (3 is refused) */
	AVP(L2TP_AVP_RESULT_CODE, "Result Code", "2661 4.4.2", SET, false, 2, V, SPECIAL, 0),
	/* 4.4.3 Control Connection Management AVPs */
	AVP(L2TP_AVP_PROTOCOL_VERSION, "Protocol Version", "2661 4.4.3", SET, false, 2, 2, SPECIAL,
	    0),
	AVP(L2TP_AVP_FRAMING_CAP, "Framing Capabilities", "2661 4.4.3", SET, true, 4, 4, U32,
	    OFF(framing_cap)),
	AVP(L2TP_AVP_BEARER_CAP, "Bearer Capabilities", "2661 4.4.3", SET, true, 4, 4, U32,
	    OFF(bearer_cap)),
	AVP(L2TP_AVP_TIE_BREAKER, "Tie Breaker", "2661 4.4.3", CLEAR, false, 8, 8, U64,
	    OFF(tie_breaker)),
	AVP(L2TP_AVP_FIRMWARE_REV, "Firmware Revision", "2661 4.4.3", CLEAR, true, 2, 2, U16,
	    OFF(firmware_rev)),
	AVP(L2TP_AVP_HOST_NAME, "Host Name", "2661 4.4.3", SET, false, 1, V, STR, OFF(host_name)),
	AVP(L2TP_AVP_VENDOR_NAME, "Vendor Name", "2661 4.4.3", CLEAR, true, 0, V, STR,
	    OFF(vendor_name)),
	AVP(L2TP_AVP_TUNNEL_ID, "Assigned Tunnel ID", "2661 4.4.3", SET, true, 2, 2, U16,
	    OFF(tunnel_id)),
	AVP(L2TP_AVP_RX_WINDOW, "Receive Window Size", "2661 4.4.3", SET, false, 2, 2, U16,
	    OFF(rx_window)),
	AVP(L2TP_AVP_CHALLENGE, "Challenge", "2661 4.4.3", SET, true, 1, V, BYTES, OFF(challenge)),
	AVP(L2TP_AVP_CHALLENGE_RESP, "Challenge Response", "2661 4.4.3", SET, true, 16, 16, BYTES,
	    OFF(challenge_resp)),
	/* 4.4.4 Call Management AVPs */
	AVP(L2TP_AVP_Q931_CAUSE, "Q.931 Cause Code", "2661 4.4.4", SET, false, 3, V, SPECIAL, 0),
	AVP(L2TP_AVP_SESSION_ID, "Assigned Session ID", "2661 4.4.4", SET, true, 2, 2, U16,
	    OFF(session_id)),
	AVP(L2TP_AVP_CALL_SERIAL, "Call Serial Number", "2661 4.4.4", SET, true, 4, 4, U32,
	    OFF(call_serial)),
	AVP(L2TP_AVP_MIN_BPS, "Minimum BPS", "2661 4.4.4", SET, true, 4, 4, U32, OFF(min_bps)),
	AVP(L2TP_AVP_MAX_BPS, "Maximum BPS", "2661 4.4.4", SET, true, 4, 4, U32, OFF(max_bps)),
	AVP(L2TP_AVP_BEARER_TYPE, "Bearer Type", "2661 4.4.4", SET, true, 4, 4, U32,
	    OFF(bearer_type)),
	AVP(L2TP_AVP_FRAMING_TYPE, "Framing Type", "2661 4.4.4", SET, true, 4, 4, U32,
	    OFF(framing_type)),
	AVP(L2TP_AVP_CALLED_NUMBER, "Called Number", "2661 4.4.4", SET, true, 0, V, STR,
	    OFF(called_number)),
	AVP(L2TP_AVP_CALLING_NUMBER, "Calling Number", "2661 4.4.4", SET, true, 0, V, STR,
	    OFF(calling_number)),
	AVP(L2TP_AVP_SUB_ADDRESS, "Sub-Address", "2661 4.4.4", SET, true, 0, V, STR,
	    OFF(sub_address)),
	AVP(L2TP_AVP_TX_SPEED, "(Tx) Connect Speed", "2661 4.4.4", SET, true, 4, 4, U32,
	    OFF(tx_speed)),
	AVP(L2TP_AVP_RX_SPEED, "Rx Connect Speed", "2661 4.4.4", CLEAR, true, 4, 4, U32,
	    OFF(rx_speed)),
	AVP(L2TP_AVP_PHYS_CHANNEL, "Physical Channel ID", "2661 4.4.4", CLEAR, true, 4, 4, U32,
	    OFF(phys_channel)),
	AVP(L2TP_AVP_PRIVATE_GROUP, "Private Group ID", "2661 4.4.4", CLEAR, true, 0, V, BYTES,
	    OFF(private_group)),
	AVP(L2TP_AVP_SEQ_REQUIRED, "Sequencing Required", "2661 4.4.4", SET, false, 0, 0, EMPTY, 0),
	/* 4.4.5 Proxy LCP and Authentication AVPs */
	AVP(L2TP_AVP_LCP_INITIAL_RX, "Initial Received LCP CONFREQ", "2661 4.4.5", CLEAR, true, 0,
	    V, BYTES, OFF(lcp_initial_rx)),
	AVP(L2TP_AVP_LCP_LAST_TX, "Last Sent LCP CONFREQ", "2661 4.4.5", CLEAR, true, 0, V, BYTES,
	    OFF(lcp_last_tx)),
	AVP(L2TP_AVP_LCP_LAST_RX, "Last Received LCP CONFREQ", "2661 4.4.5", CLEAR, true, 0, V,
	    BYTES, OFF(lcp_last_rx)),
	AVP(L2TP_AVP_PROXY_AUTH_TYPE, "Proxy Authen Type", "2661 4.4.5", CLEAR, true, 2, 2, U16,
	    OFF(proxy_auth_type)),
	AVP(L2TP_AVP_PROXY_AUTH_NAME, "Proxy Authen Name", "2661 4.4.5", CLEAR, true, 0, V, STR,
	    OFF(proxy_auth_name)),
	AVP(L2TP_AVP_PROXY_AUTH_CHAL, "Proxy Authen Challenge", "2661 4.4.5", CLEAR, true, 0, V,
	    BYTES, OFF(proxy_auth_chal)),
	AVP(L2TP_AVP_PROXY_AUTH_ID, "Proxy Authen ID", "2661 4.4.5", CLEAR, true, 2, 2, U16,
	    OFF(proxy_auth_id)),
	AVP(L2TP_AVP_PROXY_AUTH_RESP, "Proxy Authen Response", "2661 4.4.5", CLEAR, true, 0, V,
	    BYTES, OFF(proxy_auth_resp)),
	/* 4.4.6 Call Status AVPs: reserved 2 octets, then 32-bit fields */
	AVP(L2TP_AVP_CALL_ERRORS, "Call Errors", "2661 4.4.6", SET, true, 26, 26, SPECIAL, 0),
	AVP(L2TP_AVP_ACCM, "ACCM", "2661 4.4.6", SET, true, 10, 10, SPECIAL, 0),
	/* RFC 3145 section 2: code, protocol, direction, then an optional message */
	AVP(L2TP_AVP_PPP_DISCONNECT, "PPP Disconnect Cause Code", "3145 2", CLEAR, true, 5, V,
	    SPECIAL, 0),
};

#define B(avp) L2TP_BIT(L2TP_AVP_##avp)
#define MSG(t, nm, sc, req, opt)                                                                   \
	[L2TP_MSG_##t] = {.name = nm,                                                              \
			  .type = L2TP_MSG_##t,                                                    \
			  .scope = L2TP_SCOPE_##sc,                                                \
			  .required = (req),                                                       \
			  .optional = (opt)}

/* RFC 2661 section 3.2 (types) and section 6 (AVPs each one carries). */
const struct l2tp_msg_info l2tp_msg_table[L2TP_MSG_MAX + 1] = {
	MSG(SCCRQ, "SCCRQ", TUNNEL,
	    B(PROTOCOL_VERSION) | B(HOST_NAME) | B(FRAMING_CAP) | B(TUNNEL_ID),
	    B(BEARER_CAP) | B(RX_WINDOW) | B(CHALLENGE) | B(TIE_BREAKER) | B(FIRMWARE_REV) |
		    B(VENDOR_NAME)),
	MSG(SCCRP, "SCCRP", TUNNEL,
	    B(PROTOCOL_VERSION) | B(FRAMING_CAP) | B(HOST_NAME) | B(TUNNEL_ID),
	    B(BEARER_CAP) | B(FIRMWARE_REV) | B(VENDOR_NAME) | B(RX_WINDOW) | B(CHALLENGE) |
		    B(CHALLENGE_RESP)),
	MSG(SCCCN, "SCCCN", TUNNEL, 0, B(CHALLENGE_RESP)),
	MSG(STOPCCN, "StopCCN", TUNNEL, B(TUNNEL_ID) | B(RESULT_CODE), 0),
	MSG(HELLO, "HELLO", TUNNEL, 0, 0),
	MSG(OCRQ, "OCRQ", SESSION,
	    B(SESSION_ID) | B(CALL_SERIAL) | B(MIN_BPS) | B(MAX_BPS) | B(BEARER_TYPE) |
		    B(FRAMING_TYPE) | B(CALLED_NUMBER),
	    B(SUB_ADDRESS)),
	MSG(OCRP, "OCRP", SESSION, B(SESSION_ID), B(PHYS_CHANNEL)),
	MSG(OCCN, "OCCN", SESSION, B(TX_SPEED) | B(FRAMING_TYPE), B(RX_SPEED) | B(SEQ_REQUIRED)),
	MSG(ICRQ, "ICRQ", SESSION, B(SESSION_ID) | B(CALL_SERIAL),
	    B(BEARER_TYPE) | B(PHYS_CHANNEL) | B(CALLING_NUMBER) | B(CALLED_NUMBER) |
		    B(SUB_ADDRESS)),
	MSG(ICRP, "ICRP", SESSION, B(SESSION_ID), 0),
	MSG(ICCN, "ICCN", SESSION, B(TX_SPEED) | B(FRAMING_TYPE),
	    B(LCP_INITIAL_RX) | B(LCP_LAST_TX) | B(LCP_LAST_RX) | B(PROXY_AUTH_TYPE) |
		    B(PROXY_AUTH_NAME) | B(PROXY_AUTH_CHAL) | B(PROXY_AUTH_ID) |
		    B(PROXY_AUTH_RESP) | B(PRIVATE_GROUP) | B(RX_SPEED) | B(SEQ_REQUIRED)),
	/* RFC 3145 adds the PPP Disconnect Cause Code to CDN */
	MSG(CDN, "CDN", SESSION, B(RESULT_CODE) | B(SESSION_ID), B(Q931_CAUSE) | B(PPP_DISCONNECT)),
	MSG(WEN, "WEN", SESSION, B(CALL_ERRORS), 0),
	MSG(SLI, "SLI", SESSION, B(ACCM), 0),
};

const struct l2tp_avp_info *l2tp_avp_lookup(uint16_t vendor, uint16_t type)
{
	/* RFC 3145 section 4: the draft used vendor 43 type 46; receivers MAY accept it */
	if (vendor == L2TP_VENDOR_3COM && type == L2TP_AVP_PPP_DISCONNECT)
		vendor = L2TP_VENDOR_IETF;
	if (vendor != L2TP_VENDOR_IETF || type >= L2TP_AVP_TABLE_SIZE)
		return NULL;
	if (l2tp_avp_table[type].name == NULL)
		return NULL;
	return &l2tp_avp_table[type];
}

const struct l2tp_msg_info *l2tp_msg_lookup(uint16_t msg_type)
{
	if (msg_type > L2TP_MSG_MAX || l2tp_msg_table[msg_type].name == NULL)
		return NULL;
	return &l2tp_msg_table[msg_type];
}

const char *l2tp_avp_name(uint16_t type)
{
	const struct l2tp_avp_info *a = l2tp_avp_lookup(L2TP_VENDOR_IETF, type);

	return a != NULL ? a->name : "unknown";
}

const char *l2tp_msg_name(uint16_t msg_type)
{
	const struct l2tp_msg_info *m = l2tp_msg_lookup(msg_type);

	if (msg_type == 0)
		return "ZLB";
	return m != NULL ? m->name : "unknown";
}

#define X_CASE(v, n, s)                                                                            \
	case v:                                                                                    \
		return s;

const char *l2tp_result_name(uint16_t msg_type, uint16_t result)
{
	if (msg_type == L2TP_MSG_STOPCCN) {
		switch (result) {
			L2TP_STOPCCN_RESULTS(X_CASE)
		}
	} else if (msg_type == L2TP_MSG_CDN) {
		switch (result) {
			L2TP_CDN_RESULTS(X_CASE)
		}
	}
	return "unknown";
}

const char *l2tp_general_error_name(uint16_t error)
{
	switch (error) {
		L2TP_GENERAL_ERRORS(X_CASE)
	}
	return "unknown";
}

const char *l2tp_q931_cause_name(uint16_t cause)
{
	switch (cause) {
		L2TP_Q931_CAUSES(X_CASE)
	}
	return "unknown";
}

const char *l2tp_proxy_auth_name(uint16_t type)
{
	switch (type) {
		L2TP_PROXY_AUTH_TYPES(X_CASE)
	}
	return "unknown";
}

const char *l2tp_ppp_disc_name(uint16_t code)
{
	switch (code) {
		L2TP_PPP_DISC_CODES(X_CASE)
	}
	return "unknown";
}

#define X_ERR_NAME(e, n, s) [L2TP_E_##e] = #n,
static const char *const l2tp_err_names[L2TP_E_COUNT] = {L2TP_ERRORS(X_ERR_NAME)};

const char *l2tp_err_name(enum l2tp_err_code code)
{
	if ((unsigned int)code >= L2TP_E_COUNT)
		return "invalid";
	return l2tp_err_names[code];
}
