#!/usr/bin/env bash
# Installs every Debian package the build, the tests and the demo need, and
# enables apt's source index (deb-src) so that the test set-up can fetch
# Debian's lwip source package (tests/peers/lwip-lac/build.sh).
# Idempotent: when everything is present it only runs dpkg-query and
# apt-cache and exits.
set -euo pipefail

PKGS=(
	# build
	build-essential pkg-config meson ninja-build clang
	libdpdk-dev dpdk libyaml-dev libipsec-mb-dev nettle-dev libcmocka-dev
	libclang-rt-14-dev
	# tests and demo
	iproute2 iputils-ping ethtool tcpdump tshark python3 python3-scapy python3-yaml
	procps psmisc
	# real peers: an L2TP LAC, and nftables for the lossy-path router
	xl2tpd nftables
	# RADIUS server, radclient and radtest (tests/netns/radius.sh)
	freeradius freeradius-utils
	# a CPE's DHCPv6 client asking for a delegated prefix (tests/netns/test_dhcp6_pd.sh)
	dhcpcd-base
	# tests/peers/lwip-lac: built from Debian's lwip source package
	make patch xz-utils
	# make bench: dpdk-testpmd, the I/O floor (bench/run.sh)
	dpdk-dev
)

# The source package index: deb-src entries, and an index that knows lwip.
src_ready() {
	apt-cache showsrc lwip 2>/dev/null | grep -q '^Package: lwip$'
}

# deb_src_enable: add deb-src next to each deb entry (deb822 .sources files and
# one-line .list files alike); only where none is there yet. Returns 0 if it
# changed something.
deb_src_enable() {
	local f changed=1
	if grep -Eqs '^[[:space:]]*Types:.*deb-src' /etc/apt/sources.list.d/*.sources ||
		grep -Eqs '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list; then
		return 1
	fi
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		if grep -Eq '^Types:[[:space:]]*deb[[:space:]]*$' "$f"; then
			sed -i 's/^Types:[[:space:]]*deb[[:space:]]*$/Types: deb deb-src/' "$f"
			changed=0
		fi
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		if grep -Eq '^[[:space:]]*deb[[:space:]]' "$f"; then
			sed -i -E 's/^([[:space:]]*)deb([[:space:]].*)$/&\n\1deb-src\2/' "$f"
			changed=0
		fi
	done
	return "$changed"
}

missing=()
for p in "${PKGS[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
need_src=0
src_ready || need_src=1
if [ ${#missing[@]} -eq 0 ] && [ "$need_src" -eq 0 ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	[ ${#missing[@]} -eq 0 ] || echo "deps: missing packages: ${missing[*]}" >&2
	[ "$need_src" -eq 0 ] || echo "deps: apt's source index (deb-src) has no lwip" >&2
	echo "deps: run 'make deps' as root" >&2
	exit 1
fi
if [ "$need_src" -eq 1 ] && deb_src_enable; then
	echo "deps: enabled deb-src in apt's sources"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
if [ "$need_src" -eq 1 ] && ! src_ready; then
	echo "deps: apt-get update did not bring an index with the lwip source package" >&2
	exit 1
fi
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
