#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Builds the lwip-lac test peer: Debian's lwip source package (fetched here,
# never committed) plus the glue beside this script. Prints the binary's path.
#
#   tests/peers/lwip-lac/build.sh [OUTDIR]     (default OUTDIR: build/lwip-lac)
#
# OUTDIR/dl   the source package as apt-get source --download-only left it
# OUTDIR/src  the orig tarball unpacked, debian/patches/series applied
# OUTDIR/obj  objects;  OUTDIR/lwip-lac  the program
#
# A no-op (no make, no apt) when the binary is newer than the glue and the
# unpacked source. Needs deb-src in apt's sources (scripts/deps.sh sets that
# up) only for the first fetch. Exit status 1 with a message on stderr when
# something is missing.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
OUT=${1:-$REPO/build/lwip-lac}
GLUE=("$HERE/main.c" "$HERE/lwipopts.h" "$HERE/lwip_lac_hooks.h" "$HERE/build.sh")

err() {
	echo "lwip-lac build: $*" >&2
	exit 1
}

mkdir -p "$OUT" || err "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
BIN=$OUT/lwip-lac
SRC=$OUT/src
STAMP=$SRC/.lns-prepared

up_to_date() {
	local f
	[ -x "$BIN" ] && [ -f "$STAMP" ] || return 1
	for f in "${GLUE[@]}" "$STAMP"; do
		[ "$f" -nt "$BIN" ] && return 1
	done
	return 0
}

if up_to_date; then
	echo "$BIN"
	exit 0
fi

# One build at a time per OUTDIR (tests may call this concurrently).
if command -v flock >/dev/null; then
	exec 9>"$OUT/.lock"
	flock 9
	if up_to_date; then
		echo "$BIN"
		exit 0
	fi
fi

for t in cc make tar xz patch; do
	command -v "$t" >/dev/null || err "'$t' not found (scripts/deps.sh installs the build tools)"
done

# ---------------------------------------------------------------------------
# The source: apt-get source --download-only lwip, unpacked by hand (no
# dpkg-source needed): orig tarball, then debian/patches/series in order.
fetch_source() {
	local dl=$OUT/dl log=$OUT/dl/apt-get-source.log
	mkdir -p "$dl"
	if compgen -G "$dl/lwip_*.dsc" >/dev/null && compgen -G "$dl/lwip_*.orig.tar.*" >/dev/null &&
		compgen -G "$dl/lwip_*.debian.tar.*" >/dev/null; then
		return 0
	fi
	command -v apt-get >/dev/null || err "apt-get not found: cannot fetch Debian's lwip source package"
	echo "lwip-lac build: fetching Debian's lwip source package into $dl" >&2
	# As root, apt would drop to _apt, which cannot write here: stay root.
	if ! (cd "$dl" && apt-get source --download-only -o APT::Sandbox::User=root lwip) >"$log" 2>&1; then
		sed 's/^/    | /' "$log" >&2
		if grep -q "deb-src" "$log"; then
			err "no deb-src entries in apt's sources: run scripts/deps.sh as root (it enables them and runs apt-get update)"
		fi
		err "apt-get source --download-only lwip failed (log: $log); is the package index current (apt-get update)?"
	fi
	compgen -G "$dl/lwip_*.orig.tar.*" >/dev/null || err "no lwip_*.orig.tar.* in $dl after apt-get source"
	compgen -G "$dl/lwip_*.debian.tar.*" >/dev/null || err "no lwip_*.debian.tar.* in $dl (not a 3.0 (quilt) package?)"
}

prepare_source() {
	local dl=$OUT/dl tmp=$OUT/src.tmp orig deb p n=0 f
	[ -f "$STAMP" ] && return 0
	fetch_source
	f=("$dl"/lwip_*.orig.tar.*)
	orig=${f[0]}
	f=("$dl"/lwip_*.debian.tar.*)
	deb=${f[0]}
	rm -rf "$tmp"
	mkdir -p "$tmp"
	tar -xf "$orig" -C "$tmp" --strip-components=1 || err "cannot unpack $orig"
	tar -xf "$deb" -C "$tmp" || err "cannot unpack $deb"
	[ -f "$tmp/debian/patches/series" ] || err "$deb has no debian/patches/series"
	while read -r p _; do
		p=${p%%#*}
		[ -n "$p" ] || continue
		patch -d "$tmp" -p1 -s -N -F 0 --no-backup-if-mismatch <"$tmp/debian/patches/$p" ||
			err "debian patch $p does not apply to $(basename "$orig")"
		n=$((n + 1))
	done <"$tmp/debian/patches/series"
	for p in src/Filelists.mk src/include/netif/ppp/pppol2tp.h port/netif/tapif.c port/sys_arch.c \
		port/include/arch/cc.h port/include/netif/tapif.h; do
		[ -f "$tmp/$p" ] || err "$p missing after the Debian patches: the package's layout changed, adapt build.sh"
	done
	basename "$orig" | sed 's/\.orig\.tar\..*//' >"$tmp/.lns-prepared"
	echo "$n patches applied" >>"$tmp/.lns-prepared"
	rm -rf "$SRC"
	mv "$tmp" "$SRC"
	echo "lwip-lac build: $(head -n 1 "$STAMP") unpacked into $SRC ($n Debian patches)" >&2
}

prepare_source

# ---------------------------------------------------------------------------
# Compile: lwIP's own file lists (src/Filelists.mk), the unix port's tapif and
# sys_arch, our glue. Our directory comes first on the include path, so our
# lwipopts.h shadows the port's; it is also force-included first in every file,
# so its LWIP_PLATFORM_DIAG wins even where lwip/arch.h comes before lwip/opt.h.
log=$OUT/build.log
if ! make -s -C "$OUT" -j"$(nproc 2>/dev/null || echo 2)" -f - \
	SRC="$SRC" GLUE="$HERE" OBJ="$OUT/obj" BIN="$BIN" >"$log" 2>&1 <<'EOF'; then
LWIPDIR := $(SRC)/src
include $(LWIPDIR)/Filelists.mk
LWIP_SRCS := $(COREFILES) $(CORE4FILES) $(CORE6FILES) $(LWIPDIR)/netif/ethernet.c $(PPPFILES) \
	$(SRC)/port/netif/tapif.c $(SRC)/port/sys_arch.c
LWIP_OBJS := $(patsubst $(SRC)/%.c,$(OBJ)/lwip/%.o,$(LWIP_SRCS))
GLUE_OBJS := $(OBJ)/main.o
CC ?= cc
CPPFLAGS := -I$(GLUE) -I$(LWIPDIR)/include -I$(SRC)/port/include -include $(GLUE)/lwipopts.h
CFLAGS := -O2 -g -std=gnu11 -fno-strict-aliasing
.PHONY: all
all: $(BIN)
$(BIN): $(LWIP_OBJS) $(GLUE_OBJS)
	$(CC) -o $@.tmp $^ -lpthread
	mv -f $@.tmp $@
$(OBJ)/lwip/%.o: $(SRC)/%.c $(GLUE)/build.sh
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -w -MMD -MP -c -o $@ $<
$(OBJ)/main.o: $(GLUE)/main.c $(GLUE)/build.sh
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wall -Wextra -Wno-unused-parameter -MMD -MP -c -o $@ $<
-include $(LWIP_OBJS:.o=.d) $(GLUE_OBJS:.o=.d)
EOF
	grep -E 'error|Error|undefined' "$log" | head -n 30 | sed 's/^/    | /' >&2 || true
	err "compilation failed (full log: $log)"
fi
if grep -q 'warning:' "$log"; then
	grep -A3 'warning:' "$log" | head -n 30 | sed 's/^/    | /' >&2
fi
[ -x "$BIN" ] || err "make succeeded but $BIN is missing"
touch "$BIN" # newer than the glue even when make had nothing to relink
echo "$BIN"
