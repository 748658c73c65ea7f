#!/bin/sh
# Dependencies, with apt-get (Debian 12, as root). Idempotent: installs
# only what is missing.
#
#   deps.sh          what building needs (make deps): the compiler, the
#                    libraries' -dev packages, check, gdisk, libfdisk,
#                    zlib and libvirt-clients for the unit tests (which the
#                    package build runs),
#                    DKMS, debhelper and lintian for make deb, and the
#                    running kernel's headers if Debian has them. Adds no
#                    apt source, installs no kernel.
#   deps.sh test     that, and what the tests and the demo need (make
#                    test-deps; make check, make demo and .ci/run run it):
#                    QEMU, busybox, fio, clang for the fuzzers, dracut and
#                    initramfs-tools, debootstrap, the cross-build tools,
#                    and the newest Debian kernel in a Debian 13 root of its
#                    own (scripts/newest-kernel.sh), which changes nothing
#                    the host boots. Test kernels: see below.
#
# Test kernels. The VM suite boots the newest 6.1 and 6.12 kernels that
# have an image and headers on this machine (scripts/kernels.sh). A kernel
# image package, once installed, is a boot entry, and the newest version
# becomes GRUB's default: on a hypervisor 6.12 from bookworm-backports would
# replace the kernel it runs. So the 6.1 and 6.12 images (and the
# bookworm-backports source 6.12 comes from) are installed only with
# DMCOMBINE_TEST_KERNELS=install, or on a CI machine (CI=true), which is
# thrown away after the run. Otherwise the suite boots the kernels already
# here (their headers are installed if missing: headers boot nothing) and
# says which it lacks. Unpacking them instead (dpkg -x, as newest-kernel.sh
# does for Debian 13's) does not serve: 6.12's headers package depends on
# its image, and DKMS, dracut and mkinitramfs in host-check and
# package-check use a kernel's headers and modules where the packages put
# them.
# shellcheck disable=SC2086 # package lists are split into words on purpose
set -eu

# One package a line, grouped by what needs it.
build_packages="
	gcc
	make
	libc6-dev
	pkg-config
	kmod
	libdevmapper-dev
	libblkid-dev
	libjson-c-dev
	check
	gdisk
	libfdisk-dev
	zlib1g-dev
	libvirt-clients
	dkms
	debhelper
	dh-dkms
	lintian
"
# The VM suite, host-check and the demo: guests, their initramfs, the
# tools the guest tests run.
test_packages="
	qemu-system-x86
	busybox-static
	fio
	dmsetup
	util-linux
	e2fsprogs
	jq
	sg3-utils
	open-iscsi
	cpio
	xz-utils
	zstd
	dracut-core
	initramfs-tools-core
	udev
	file
	sparse
	debootstrap
"
# The unit tests' promtool check (skipped without it), the cluster tests
# (ocf-tester) and the guest's xmllint.
test_packages="$test_packages
	prometheus
	resource-agents
	libxml2-utils
"
# make fuzz.
test_packages="$test_packages
	clang
	llvm
	libclang-rt-14-dev
"
# make cross-check: the cross compilers, 6.1's source and what its
# modules_prepare needs.
test_packages="$test_packages
	gcc-aarch64-linux-gnu
	gcc-i686-linux-gnu
	linux-source-6.1
	bc
	bison
	flex
	libssl-dev
	libelf-dev
"

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

# install PACKAGE...: those not installed yet.
install() {
	todo=$(missing "$@")
	[ -n "$todo" ] || return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: must be root to install:" $todo >&2
		exit 1
	fi
	update
	echo "deps: installing" $todo
	apt-get install -y -q --no-install-recommends $todo >/dev/null
}

# The running kernel's headers, for `make` and `make dkms-install`, when
# Debian has them (not for a kernel of another vendor, e.g. Proxmox's).
running_headers() {
	headers=linux-headers-$(uname -r)
	if [ -n "$(missing "$headers")" ]; then
		update
		apt-cache show "$headers" >/dev/null 2>&1 || return 0
	fi
	kernel_packages="$kernel_packages $headers"
}

# The headers of the 6.1 and 6.12 images here; with the opt-in, 6.1's and
# 6.12's images and headers (6.12 from bookworm-backports, whatever version
# its meta package points at, by full name so that the 6.1 meta package
# stays as it is).
test_kernels() {
	for image in /boot/vmlinuz-6.1.*-amd64 /boot/vmlinuz-6.12.*-amd64; do
		[ ! -e "$image" ] || kernel_packages="$kernel_packages linux-headers-${image#/boot/vmlinuz-}"
	done
	if [ "${DMCOMBINE_TEST_KERNELS:-}" != install ] && [ "${CI:-}" != true ]; then
		return 0
	fi
	kernel_packages="$kernel_packages linux-image-amd64 linux-headers-amd64"
	# shellcheck disable=SC2012 # names without odd characters
	kver612=$(ls /usr/src | sed -n 's/^linux-headers-\(6\.12\..*-amd64\)$/\1/p' | sort -V | tail -n 1)
	if [ -n "$kver612" ] && [ -e "/boot/vmlinuz-$kver612" ]; then
		return 0
	fi
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
	update
	kver612=$(apt-cache show linux-headers-amd64/bookworm-backports |
		sed -n 's/^Depends: linux-headers-\(6\.12\.[^ ]*-amd64\).*/\1/p' | head -n 1)
	[ -n "$kver612" ] || { echo "deps: no 6.12 kernel in bookworm-backports" >&2; exit 1; }
	image="linux-image-$kver612"
	apt-cache show "$image" >/dev/null 2>&1 || image="$image-unsigned"
	kernel_packages="$kernel_packages $image linux-headers-$kver612"
}

kernel_packages=
case "${1:-}" in
"")
	running_headers
	install $build_packages $kernel_packages
	;;
test)
	test_kernels
	install $build_packages $test_packages $kernel_packages
	"$(dirname "$0")/newest-kernel.sh" fetch
	kernels=$("$(dirname "$0")/kernels.sh" host | tr '\n' ' ')
	case $kernels in
	*6.1.*6.12.*) ;;
	*)
		echo "deps: the VM suite boots ${kernels:-no Debian 12 kernel}(and the newest from newest-kernel.sh);" \
			"DMCOMBINE_TEST_KERNELS=install adds 6.1 and 6.12 (their images become boot entries)" >&2
		;;
	esac
	;;
*)
	echo "usage: $0 [test]" >&2
	exit 2
	;;
esac
