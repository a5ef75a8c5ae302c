/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Intel IPsec-MB set-up: one IMB_MGR per lcore (as DPDK's ipsec_mb PMD does),
 * created at start-up on the main lcore and used only by its own lcore. ESP
 * security associations build on this.
 */
#ifndef LNS_CRYPTO_H
#define LNS_CRYPTO_H

struct IMB_MGR;

/* Allocate and initialise a manager for every enabled lcore. 0 or -errno. */
int lns_crypto_init(void);
void lns_crypto_fini(void);
/* This lcore's manager (NULL before init). */
struct IMB_MGR *lns_crypto_mgr(unsigned lcore);
/* The instruction set the library chose, e.g. "AVX2". */
const char *lns_crypto_arch(void);
/* The library's version string. */
const char *lns_crypto_version(void);

#endif
