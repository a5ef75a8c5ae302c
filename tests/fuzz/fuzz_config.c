/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the configuration loader: any bytes must give either
 * a configuration or exactly one line of error, never a crash or a leak.
 * Build with -Dfuzz=true and CC=clang; seeds in tests/fuzz/corpus/config/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lns_config *cfg;
	char err[512], buf[INET6_ADDRSTRLEN + 4];
	size_t i;

	memset(err, 0x55, sizeof(err));
	cfg = lns_config_parse("fuzz.yaml", (const char *)data, size, err, sizeof(err));
	if (cfg == NULL) {
		/* one line, terminated, starting with the name */
		if (memchr(err, '\0', sizeof(err)) == NULL || strchr(err, '\n') != NULL ||
		    strncmp(err, "fuzz.yaml:", 10) != 0)
			abort();
		return 0;
	}
	/* touch what the planes would read */
	if (cfg->n_ports == 0 || cfg->l2tp.n_listen == 0)
		abort();
	for (i = 0; i < cfg->n_routes; i++)
		if (cfg->routes[i].port < 0 || (size_t)cfg->routes[i].port >= cfg->n_ports)
			abort();
	for (i = 0; i < cfg->l2tp.n_listen; i++)
		lns_prefix_str(&cfg->l2tp.listen[i], buf, sizeof(buf));
	for (i = 0; i < cfg->n_users; i++)
		if (cfg->users[i].pool >= (int)cfg->n_pools)
			abort();
	lns_config_free(cfg);
	return 0;
}
