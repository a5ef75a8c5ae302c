/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One IMB_MGR per lcore. Start-up and shutdown run on the main lcore; each
 * worker then uses only lns_crypto_mgr(its own lcore id).
 */
#include <errno.h>

#include <intel-ipsec-mb.h>
#include <rte_lcore.h>

#include "crypto/crypto.h"

static IMB_MGR *mgrs[RTE_MAX_LCORE];
static IMB_ARCH arch = IMB_ARCH_NONE;

int lns_crypto_init(void)
{
	unsigned lc;

	RTE_LCORE_FOREACH(lc) {
		IMB_MGR *m = alloc_mb_mgr(0);

		if (m == NULL)
			goto err;
		init_mb_mgr_auto(m, &arch);
		if (imb_get_errno(m) != 0) {
			free_mb_mgr(m);
			goto err;
		}
		mgrs[lc] = m;
	}
	return 0;
err:
	lns_crypto_fini();
	return -ENOMEM;
}

void lns_crypto_fini(void)
{
	for (unsigned i = 0; i < RTE_MAX_LCORE; i++) {
		if (mgrs[i])
			free_mb_mgr(mgrs[i]);
		mgrs[i] = NULL;
	}
}

struct IMB_MGR *lns_crypto_mgr(unsigned lcore)
{
	return lcore < RTE_MAX_LCORE ? mgrs[lcore] : NULL;
}

const char *lns_crypto_arch(void)
{
	switch (arch) {
	case IMB_ARCH_NOAESNI:
		return "no-aesni";
	case IMB_ARCH_SSE:
		return "SSE";
	case IMB_ARCH_AVX:
		return "AVX";
	case IMB_ARCH_AVX2:
		return "AVX2";
	case IMB_ARCH_AVX512:
		return "AVX512";
	default:
		return "none";
	}
}

const char *lns_crypto_version(void)
{
	return imb_get_version_str();
}
