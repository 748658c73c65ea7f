#!/bin/sh
# The newest kernel Debian ships (trixie-backports), for the VM suite, without
# touching the host's Debian 12: a debootstrapped Debian 13 root that holds the
# kernel's headers with the gcc-14 that builds modules for it (a module built
# by bookworm's gcc-12 is refused by 7.3: "Invalid relocation target"), and
# the kernel's image and modules unpacked with dpkg -x (no maintainer
# scripts, nothing in the host's /boot).  Its sparse is installed too, for
# C=2, which 7.3's Makefile turns off: 0.6.4 cannot parse 7.3's headers.
#
#   newest-kernel.sh fetch              make the root, or do nothing if it is
#                                       complete
#   newest-kernel.sh kver               the kernel's version if fetched
#   newest-kernel.sh root               the root's path
#   newest-kernel.sh build DIR ARG...   make -C the kernel's headers M=DIR ARG...
#                                       in the root (DIR mounted at /build)
#
# DMCOMBINE_NEWEST_ROOT overrides the root (/var/cache/dmcombine/trixie).
# The kernel stays the one first fetched; remove the root to take a newer.
set -eu

root=${DMCOMBINE_NEWEST_ROOT:-/var/cache/dmcombine/trixie}
mirror=http://deb.debian.org/debian
# Written last: its presence says the root is complete.
stamp=$root/.dmcombine-kernel

fetch() {
	[ ! -s "$stamp" ] || return 0
	[ "$(id -u)" -eq 0 ] || { echo "$0: must be root to fetch the newest kernel" >&2; exit 1; }
	export DEBIAN_FRONTEND=noninteractive
	if [ ! -x "$root/usr/bin/apt-get" ]; then
		echo "newest-kernel: debootstrap trixie into $root"
		rm -rf "$root" "$root.tmp"
		mkdir -p "${root%/*}"
		debootstrap --variant=minbase trixie "$root.tmp" "$mirror" >"$root.log" 2>&1 ||
			{ tail -n 20 "$root.log" >&2; exit 1; }
		mv "$root.tmp" "$root"
	fi
	cp /etc/resolv.conf "$root/etc/resolv.conf"
	cat >"$root/etc/apt/sources.list.d/backports.sources" <<EOT
Types: deb
URIs: $mirror
Suites: trixie-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
	in_root apt-get update -q >/dev/null
	# Whatever backports' meta package points at, as deps.sh does for 6.12.
	kver=$(in_root apt-cache show linux-headers-amd64/trixie-backports |
		sed -n 's/^Depends:.* linux-headers-\([^ ,]*-amd64\).*/\1/p' | head -n 1)
	[ -n "$kver" ] || { echo "$0: no kernel in trixie-backports" >&2; exit 1; }
	# Since 7.x linux-image-KVER is a meta package over linux-binary-KVER
	# (vmlinuz) and linux-modules-KVER.
	image="linux-binary-$kver linux-modules-$kver"
	in_root apt-cache show "linux-binary-$kver" >/dev/null 2>&1 || image=linux-image-$kver
	echo "newest-kernel: $kver"
	in_root apt-get install -y -q --no-install-recommends -o Dpkg::Use-Pty=0 \
		"linux-headers-$kver" make sparse kmod xz-utils >/dev/null
	in_root sh -c "cd /tmp && apt-get download -q $image >/dev/null 2>&1 &&
		for deb in *.deb; do dpkg -x \$deb / && rm \$deb || exit; done && depmod $kver"
	in_root apt-get clean
	echo "$kver" >"$stamp"
}

# in_root COMMAND...: COMMAND in the root, with /proc mounted (objtool and
# apt read it) in a mount namespace of its own, so that nothing stays mounted.
in_root() {
	# shellcheck disable=SC2016 # expanded by the inner sh
	unshare --mount --propagation private sh -c \
		'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$root" "$@"
}

# build DIR ARG...: the module in DIR built for the kernel, in the root.
build() {
	dir=$(realpath "$1")
	shift
	kver=$(cat "$stamp")
	mkdir -p "$root/build"
	# shellcheck disable=SC2016 # expanded by the inner sh
	unshare --mount --propagation private sh -c \
		'mount --bind "$1" "$0/build" && mount -t proc proc "$0/proc" &&
		 kver=$2 && shift 2 &&
		 exec chroot "$0" make -C "/lib/modules/$kver/build" M=/build "$@"' \
		"$root" "$dir" "$kver" "$@"
}

case "${1:-}" in
fetch) fetch ;;
kver) [ ! -s "$stamp" ] || cat "$stamp" ;;
root) echo "$root" ;;
build)
	[ $# -ge 2 ] || { echo "usage: $0 build DIR ARG..." >&2; exit 2; }
	shift
	build "$@"
	;;
*)
	echo "usage: $0 fetch|kver|root|build DIR ARG..." >&2
	exit 2
	;;
esac
