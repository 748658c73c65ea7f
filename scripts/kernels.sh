#!/bin/sh
# Which kernels to build for and boot.
#   kernels.sh default  the kernel `make` builds for: the running one if its
#                       headers are installed, else the newest installed headers
#   kernels.sh test     the kernels the VM suite boots: the newest 6.1 and the
#                       newest 6.12 that have both an image and headers
set -eu

headers() {
	ls /usr/src 2>/dev/null | sed -n 's/^linux-headers-\(.*-amd64\)$/\1/p' | sort -V
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
	for series in 6.1 6.12; do
		headers | grep "^$series\." | while read -r kver; do
			[ -e "/boot/vmlinuz-$kver" ] && echo "$kver"
		done | tail -n 1
	done
	;;
*)
	echo "usage: $0 default|test" >&2
	exit 2
	;;
esac
