#!/bin/sh
# Install every build and test dependency with apt-get (Debian 12, as root).
# Idempotent: installs only what is missing.  Also enables bookworm-backports
# for the 6.12 kernel and headers that the VM suite boots besides 6.1, and
# fetches the newest Debian kernel into a Debian 13 root of its own
# (scripts/newest-kernel.sh).  The cross compilers, linux-source-6.1 and
# what its modules_prepare needs serve make cross-check.
set -eu

packages="gcc make libc6-dev pkg-config sparse kmod cpio xz-utils zstd
	check libdevmapper-dev libblkid-dev libjson-c-dev clang llvm libclang-rt-14-dev
	qemu-system-x86 busybox-static fio dmsetup util-linux e2fsprogs jq
	prometheus
	gdisk libfdisk-dev zlib1g-dev
	sg3-utils open-iscsi libvirt-clients
	resource-agents libxml2-utils
	dracut-core initramfs-tools-core dkms udev file
	debhelper dh-dkms lintian debootstrap
	linux-image-amd64 linux-headers-amd64
	gcc-aarch64-linux-gnu gcc-i686-linux-gnu linux-source-6.1
	bc bison flex libssl-dev libelf-dev"

backports=/etc/apt/sources.list.d/dmcombine-bookworm-backports.sources
export DEBIAN_FRONTEND=noninteractive

missing() {
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || echo "$p"
	done
}

updated=
update() {
	[ -n "$updated" ] || apt-get update -q >/dev/null
	updated=1
}

if [ "$(id -u)" -eq 0 ] &&
   ! grep -rqs '^Suites:.*bookworm-backports' /etc/apt/sources.list.d/ &&
   ! grep -qs 'bookworm-backports' /etc/apt/sources.list; then
	cat >"$backports" <<EOT
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
	updated=
fi

# The 6.12 kernel: whatever version backports' meta package points at, by its
# full name so that the 6.1 meta package stays as it is.
kver612=$(ls /usr/src | sed -n 's/^linux-headers-\(6\.12\..*-amd64\)$/\1/p' | sort -V | tail -n 1)
if [ -z "$kver612" ] || [ ! -e "/boot/vmlinuz-$kver612" ]; then
	update
	kver612=$(apt-cache show linux-headers-amd64/bookworm-backports |
		sed -n 's/^Depends: linux-headers-\(6\.12\.[^ ]*-amd64\).*/\1/p' | head -n 1)
	[ -n "$kver612" ] || { echo "deps: no 6.12 kernel in bookworm-backports" >&2; exit 1; }
	image="linux-image-$kver612"
	apt-cache show "$image" >/dev/null 2>&1 || image="$image-unsigned"
	packages="$packages $image linux-headers-$kver612"
fi

todo=$(missing $packages)
if [ -n "$todo" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: must be root to install:" $todo >&2
		exit 1
	fi
	update
	echo "deps: installing" $todo
	apt-get install -y -q --no-install-recommends $todo >/dev/null
fi
"$(dirname "$0")/newest-kernel.sh" fetch
