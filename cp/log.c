/* SPDX-License-Identifier: BSD-3-Clause */
#include "cp/log.h"

RTE_LOG_REGISTER(lns_logtype_app, lns.app, INFO);
RTE_LOG_REGISTER(lns_logtype_cp, lns.cp, INFO);
