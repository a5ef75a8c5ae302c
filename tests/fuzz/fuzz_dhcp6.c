/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for lns's DHCPv6 server (cp/dhcp6_msg.c parsing,
 * cp/dhcp6_server.c answering): a run of client messages on one link, its
 * binding carried from one to the next as on a real session.
 *
 *  Input:
 *  +--------+--------+--------------+- - - - - - - - - - - - - -
 *  | setup  | delta  | u16 len, msg | u16 len, msg | ...
 *  +--------+--------+--------------+- - - - - - - - - - - - - -
 *  setup: bit 0 a delegated prefix (else none), bit 1 DNS servers, bits 2-3
 *         the answer buffer (1500, 300, 64 or 8 octets: answers that do not
 *         fit must be refused, never cut); delta: seconds the clock moves
 *         between messages (times 1000, so that leases expire).
 *  Each message is copied to a buffer of its exact size, and the answer
 *  buffer is allocated at its size (ASan sees any access past either); a
 *  length beyond the input takes what is left.
 *
 * Whatever the octets: no crash, leak or UBSan report; a verdict other than
 * an answer leaves the binding alone (and the buffer, unless the answer did
 * not fit); an answer fits its
 * buffer, is an Advertise or a Reply with the message's transaction ID,
 * parses again (dhcp6_parse), carries our Server Identifier and the client's
 * Client Identifier, and a prefix it delegates is the session's; a binding
 * never outlives the valid lifetime. Seeds in tests/fuzz/corpus/dhcp6/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cp/dhcp6.h"
#include "tests/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t DUID[10] = {0, 3, 0, 1, 0x02, 0x00, 0x5e, 0x00, 0x53, 0x01};
static const size_t CAPS[4] = {1500, 300, 64, 8};
#define VALID 7200u

static uint16_t g16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/*
 * Every IA Prefix in the answer's IA_PDs is the session's with its lifetimes,
 * or anything with lifetimes 0 (a prefix the client must stop using); the
 * session's with its lifetimes in one IA_PD at most.
 */
static void check_prefixes(const struct dhcp6_server *s, const struct dhcp6_msg *a)
{
	unsigned given = 0;

	for (unsigned i = 0; i < a->n_ia; i++) {
		unsigned n = a->ia[i].n_prefixes < DHCP6_MAX_IAPREFIX ? a->ia[i].n_prefixes
								      : DHCP6_MAX_IAPREFIX;

		for (unsigned j = 0; j < n; j++) {
			const struct dhcp6_iaprefix *x = &a->ia[i].prefixes[j];
			bool ours = s->plen && x->plen == s->plen &&
				    memcmp(x->prefix, s->prefix.s6_addr, 16) == 0;

			if (x->valid == 0 && x->preferred == 0)
				continue;
			check(ours && x->valid == VALID && x->preferred == s->preferred);
			given++;
		}
	}
	check(given <= 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in6_addr dns[3] = {{{{0x20, 0x01, 0x0d, 0xb8, [15] = 0x53}}}};
	struct dhcp6_server s = {.duid = DUID,
				 .duid_len = sizeof(DUID),
				 .preferred = 3600,
				 .valid = VALID,
				 .dns = dns};
	struct dhcp6_binding b = {0};
	uint64_t now = 1000000;
	size_t cap, off = 2;
	unsigned delta;
	uint8_t *out;

	if (size < 2)
		return 0;
	if (data[0] & 1) {
		static const uint8_t pfx[16] = {0x20, 0x01, 0x0d, 0xb8, 0x02};

		memcpy(s.prefix.s6_addr, pfx, 16);
		s.plen = 56;
	}
	s.n_dns = data[0] & 2 ? 3 : 0;
	cap = CAPS[(data[0] >> 2) & 3];
	delta = data[1];
	out = malloc(cap);
	check(out != NULL);

	while (off + 2 <= size) {
		size_t len = g16(data + off), out_len = 0;
		struct dhcp6_binding before = b;
		struct dhcp6_tally t = {0};
		struct dhcp6_msg in, ans;
		enum dhcp6_verdict v;
		uint8_t *msg;

		off += 2;
		if (len > size - off)
			len = size - off;
		msg = malloc(len ? len : 1);
		check(msg != NULL);
		memcpy(msg, data + off, len);
		off += len;
		memset(out, 0xa5, cap);

		v = dhcp6_serve(&s, &b, now, msg, len, out, cap, &out_len, &t);
		if (v != DHCP6_ANSWER) {
			check(memcmp(&b, &before, sizeof(b)) == 0);
			check(out_len == 0);
			check(t.granted + t.refused + t.released == 0);
			/* refused before building: nothing written (an answer that did not fit
			 * is MALFORMED after a partial write, never sent) */
			for (size_t i = 0; v != DHCP6_MALFORMED && i < cap; i++)
				check(out[i] == 0xa5);
		} else {
			check(dhcp6_parse(msg, len, &in) == 0);
			check(out_len >= 4 && out_len <= cap);
			check(out[0] == DHCP6_ADVERTISE || out[0] == DHCP6_REPLY);
			check(dhcp6_parse(out, out_len, &ans) == 0);
			check(ans.xid == in.xid);
			check(ans.server_id_len == sizeof(DUID) &&
			      memcmp(ans.server_id, DUID, sizeof(DUID)) == 0);
			check((in.client_id == NULL) == (ans.client_id == NULL));
			check(in.client_id == NULL ||
			      (ans.client_id_len == in.client_id_len &&
			       memcmp(ans.client_id, in.client_id, in.client_id_len) == 0));
			check(t.granted <= 1);
			check(t.granted == 0 || s.plen != 0);
			check_prefixes(&s, &ans);
		}
		check(b.until_ms <= now + VALID * 1000ull);
		free(msg);
		now += delta * 1000ull;
	}
	free(out);
	return 0;
}
