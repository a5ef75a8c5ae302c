/* SPDX-License-Identifier: BSD-3-Clause */
/* What the libFuzzer targets share. */
#ifndef LNS_TESTS_FUZZ_COMMON_H
#define LNS_TESTS_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>

/* A property that must hold whatever the input: abort, so that libFuzzer keeps the input. */
#define check(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#endif
