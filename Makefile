# SPDX-License-Identifier: BSD-3-Clause
# Thin wrapper over meson/ninja. `make test` and `make demo` are what a newcomer types.
BUILD      ?= build
BUILD_ASAN ?= build-asan
BUILD_FUZZ ?= build-fuzz
MESON      ?= meson
NINJA      ?= ninja

.PHONY: all build deps test demo asan fuzz clean format bench

all: build

deps:
	@bash scripts/deps.sh

$(BUILD)/build.ninja:
	$(MESON) setup $(BUILD)

build: $(BUILD)/build.ninja
	$(NINJA) -C $(BUILD)

# Unit and packet tests again, built with AddressSanitizer and UBSan.
$(BUILD_ASAN)/build.ninja:
	CC=clang $(MESON) setup $(BUILD_ASAN) -Db_sanitize=address,undefined -Db_lundef=false \
		-Dbuildtype=debug

asan: $(BUILD_ASAN)/build.ninja
	$(NINJA) -C $(BUILD_ASAN)

# libFuzzer targets, one per parser.
$(BUILD_FUZZ)/build.ninja:
	CC=clang $(MESON) setup $(BUILD_FUZZ) -Dfuzz=true -Dbuildtype=debug

fuzz: $(BUILD_FUZZ)/build.ninja
	$(NINJA) -C $(BUILD_FUZZ)

test: deps
	@$(MAKE) --no-print-directory build asan fuzz
	@bash tests/run.sh

demo: deps
	@$(MAKE) --no-print-directory build
	@bash scripts/demo.sh

# The worker benchmark (docs/performance.md): `make bench`, or `make bench QUICK=1`.
bench: build
	@BUILD=$(BUILD) QUICK=$(QUICK) PROFILE=$(PROFILE) REMOTE=$(REMOTE) IPV6_ALL=$(IPV6_ALL) \
		WORKERS=$(WORKERS) \
		BENCH_COMMAND="make bench$(if $(QUICK), QUICK=$(QUICK))$(if $(PROFILE), PROFILE=$(PROFILE))$(if $(REMOTE), REMOTE=$(REMOTE))$(if $(IPV6_ALL), IPV6_ALL=$(IPV6_ALL))$(if $(WORKERS), WORKERS=$(WORKERS))" \
		bash bench/run.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ)
