/* SPDX-License-Identifier: BSD-3-Clause */
/* lnsd start-up pieces (main lcore, before workers start and after they stop). */
#ifndef LNS_APP_H
#define LNS_APP_H

#include <stdbool.h>

#include "dp/dp.h"

bool lns_device_is_pci(const char *dev);
int lns_ports_start(struct lns_runtime *rt);
void lns_ports_stop(struct lns_runtime *rt);

#endif
