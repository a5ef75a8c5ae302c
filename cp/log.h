/* SPDX-License-Identifier: BSD-3-Clause */
/* Log types of lns (rte_log). Control plane and start-up only: dp/ never logs. */
#ifndef LNS_LOG_H
#define LNS_LOG_H

#include <rte_log.h>

extern int lns_logtype_app;
extern int lns_logtype_cp;

#define LNS_LOG(level, type, fmt, ...)                                                             \
	rte_log(RTE_LOG_##level, lns_logtype_##type, "lns.%s: " fmt "\n", #type, ##__VA_ARGS__)

#endif
