#!/bin/sh
# Which kernels to build for and boot.
#   kernels.sh default    the kernel `make` builds for: the running one if its
#                         headers are installed, else the newest installed headers
#   kernels.sh test       the kernels the VM suite boots: the newest 6.1 and the
#                         newest 6.12 that have both an image and headers, and
#                         the newest Debian kernel that newest-kernel.sh fetched
#   kernels.sh host       the test kernels installed on this host (host-check)
#   kernels.sh root KVER  the root that holds KVER's /lib/modules and headers:
#                         / or newest-kernel.sh's Debian 13 root
#   kernels.sh image KVER KVER's kernel image: /boot/vmlinuz-KVER, or
#                         /lib/modules/KVER/vmlinuz (Debian 13's place) in its root
set -eu

newest=$(dirname "$0")/newest-kernel.sh

headers() {
	ls /usr/src 2>/dev/null | sed -n 's/^linux-headers-\(.*-amd64\)$/\1/p' | sort -V
}

host() {
	for series in 6.1 6.12; do
		headers | grep "^$series\." | while read -r kver; do
			[ -e "/boot/vmlinuz-$kver" ] && echo "$kver"
		done | tail -n 1
	done
}

root() {
	if [ "$1" = "$("$newest" kver)" ]; then
		"$newest" root
	else
		echo /
	fi
}

case "${1:-}" in
default)
	if [ -e "/lib/modules/$(uname -r)/build" ]; then
		uname -r
	else
		headers | tail -n 1
	fi
	;;
test)
	host
	"$newest" kver
	;;
host)
	host
	;;
root)
	[ $# -eq 2 ] || { echo "usage: $0 root KVER" >&2; exit 2; }
	root "$2"
	;;
image)
	[ $# -eq 2 ] || { echo "usage: $0 image KVER" >&2; exit 2; }
	root=$(root "$2")
	if [ "$root" = / ]; then
		echo "/boot/vmlinuz-$2"
	else
		echo "$root/lib/modules/$2/vmlinuz"
	fi
	;;
*)
	echo "usage: $0 default|test|host|root KVER|image KVER" >&2
	exit 2
	;;
esac
