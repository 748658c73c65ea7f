#!/bin/bash
# Build the initramfs of the test guest: busybox-static with its applets,
# the tools the guest tests run (each with the libraries ldd lists), the
# kernel modules they load with everything those depend on, the tests
# themselves and their /init.
#
#   mkinitramfs.sh --kver KVER --out FILE [--module PATH.ko] [--bin PATH]...
#                  [--tests DIR] [--root DIR]
#
# --root    where KVER's /lib/modules is (default /; see scripts/kernels.sh root)
# --module  the dm-combine.ko built for KVER, loaded by the guest's /init
# --bin     a further binary for /usr/local/bin (first in the guest's PATH)
# --tests   the guest tests and their init (default: tests/vm of this repo)
# FILE is an uncompressed newc cpio: the kernel unpacks it faster under TCG
# than it decompresses anything.  The archive is reproducible: sorted
# names, owner root, mtimes SOURCE_DATE_EPOCH (default 0).
set -eu

# Modules the guest tests may load (virtio for the two-hosts guests' disks;
# virtio_scsi and raid1 for the systemd test's guest data: a SCSI LUN, an
# md superblock);
# a kernel without one gets a note.
modules="configfs dm-mod dm-flakey dm-delay dm-zero dm-log-writes dm-mirror null_blk brd
	loop scsi_debug sd_mod target_core_mod target_core_iblock tcm_loop vhost_scsi ext4
	iscsi_target_mod iscsi_tcp virtio_pci virtio_blk virtio_scsi raid1"
# Tools besides busybox: util-linux's losetup, blkdiscard, setpriv, flock and
# e2fsprogs' mke2fs know more (losetup --show, blkdiscard -z, mke2fs -q)
# than busybox's, which has no blkid; setpriv runs a test as a user; jq
# reads JSON; sgdisk and partx read partition tables; sg_inq, lsblk and
# open-iscsi's iscsid and iscsiadm look at exported disks; xmllint reads
# domain XML in the libvirt hook and OCF meta-data in ocf-tester; script
# gives a command a terminal (the tool's questions).
bins="dmsetup fio losetup blkdiscard blkid mke2fs setpriv flock jq sgdisk partx sg_inq lsblk iscsid iscsiadm
	xmllint script"

usage() {
	echo "usage: $0 --kver KVER --out FILE [--module PATH.ko] [--bin PATH]... [--tests DIR] [--root DIR]" >&2
	exit 2
}

kver='' out='' module='' kroot=/
tests=$(dirname "$0")/../../tests/vm
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage
	case $1 in
	--kver) kver=$2 ;;
	--out) out=$2 ;;
	--module) module=$2 ;;
	--bin) bins="$bins $2" ;;
	--tests) tests=$2 ;;
	--root) kroot=$2 ;;
	*) usage ;;
	esac
	shift 2
done
if [ -z "$kver" ] || [ -z "$out" ]; then
	usage
fi
out=$(realpath -m -- "$out")
# $moddir in the guest, $kmoddir on this host.
moddir=/lib/modules/$kver
kmoddir=${kroot%/}$moddir
[ -d "$kmoddir/kernel" ] || { echo "$0: no modules in $kmoddir" >&2; exit 1; }
modinfo=(modinfo -k "$kver")
[ "$kroot" = / ] || modinfo+=(-b "$kroot")

root=$(mktemp -d)
chmod 755 "$root"		# the guest's /, which tests also enter as a user
trap 'rm -rf "$root"' EXIT
# /etc/target: where LIO (target_core_mod) keeps its persistent state.
mkdir -p "$root"/{dev,proc,sys,tmp,run,etc/target,usr/local/bin,"$moddir"}

# busybox --list-full names each applet's usual place (bin/sh, sbin/modprobe):
# the kernel runs /sbin/modprobe for module requests.
busybox=$(command -v busybox)
install -D "$busybox" "$root/bin/busybox"
"$busybox" --list-full | while read -r applet; do
	[ "$applet" = bin/busybox ] && continue
	mkdir -p "$root/${applet%/*}"
	ln -s /bin/busybox "$root/$applet"
done

# add_bin PATH: PATH into /usr/local/bin, its libraries and the dynamic
# loader where ldd finds them (so that RUNPATHs keep working).
add_bin() {
	local bin lib
	bin=$(command -v "$1") || { echo "$0: no $1" >&2; exit 1; }
	cp "$bin" "$root/usr/local/bin/"
	for lib in $(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root${lib%/*}"
		cp -L "$lib" "$root$lib"
	done
}
for bin in $bins; do
	add_bin "$bin"
done

# add_module NAME: the module decompressed (busybox insmod reads only
# plain ELF) at its place under $moddir, then its dependencies.  Built-in
# modules ("(builtin)") need nothing.
declare -A added
add_module() {
	local file dest
	for file in $("${modinfo[@]}" -F filename "$1"); do
		case $file in /*) ;; *) continue ;; esac
		[ -z "${added[$file]:-}" ] || continue
		added[$file]=1
		dest=$root$moddir/${file#"$kmoddir"/}
		mkdir -p "${dest%/*}"
		case $file in
		*.ko.xz) xz -dc "$file" ;;
		*.ko.zst) zstd -qdc "$file" ;;
		*.ko.gz) gzip -dc "$file" ;;
		*) cat "$file" ;;
		esac >"${dest%.ko*}.ko"
		add_deps "$file"
	done
}

# add_deps FILE: the modules FILE names in "depends: a,b" and in "softdep:
# pre: c post: d" (6.1's crc-t10dif wants crct10dif, which the kernel then
# requests through /sbin/modprobe).
add_deps() {
	local dep
	for dep in $("${modinfo[@]}" -F depends "$1" | tr , ' ') \
		   $("${modinfo[@]}" -F softdep "$1" | sed 's/[a-z]*://g'); do
		add_module "$dep"
	done
}

for m in $modules; do
	if "${modinfo[@]}" -F filename "$m" >/dev/null 2>&1; then
		add_module "$m"
	else
		echo "$0: note: $kver has no module $m" >&2
	fi
done
if [ -n "$module" ]; then
	mkdir -p "$root$moddir/extra"
	cp "$module" "$root$moddir/extra/"
	add_deps "$module"
fi
# modules.builtin lets modprobe accept built-in names; depmod writes the
# modules.dep (and modules.alias) that busybox modprobe reads.
cp "$kmoddir"/modules.{order,builtin,builtin.modinfo} "$root$moddir/"
depmod -b "$root" "$kver"

# The libvirt hook and the OCF agent where make install puts them, running
# the guest's tool; ocf-tester (a sh script) with the OCF shell functions and
# the DTD it validates meta-data with (resource-agents).
top=$(dirname "$0")/../..
subst_cluster() {
	mkdir -p "$root${2%/*}"
	sed -e 's|@SBINDIR@|/usr/local/bin|g' -e 's|@CONFIGDIR@|/etc/dmcombine|g' "$top/$1" >"$root$2"
	chmod 0755 "$root$2"
}
subst_cluster scripts/libvirt/qemu-hook.in /etc/libvirt/hooks/qemu.d/dmcombine
subst_cluster scripts/ocf/combined.in /usr/lib/ocf/resource.d/dmcombine/combined
if [ -x /usr/sbin/ocf-tester ]; then
	install -D /usr/sbin/ocf-tester "$root/usr/sbin/ocf-tester"
	mkdir -p "$root/usr/lib/ocf/lib/heartbeat"
	cp /usr/lib/ocf/lib/heartbeat/ocf-* "$root/usr/lib/ocf/lib/heartbeat/"
	install -D -m 0644 /usr/share/resource-agents/ra-api-1.dtd "$root/usr/share/resource-agents/ra-api-1.dtd"
else
	echo "$0: note: no ocf-tester (resource-agents) on this host" >&2
fi

cp -R "$tests" "$root/tests"
install -m 755 "$tests/init" "$root/init"

cd "$root"
find . -exec touch -h -d "@${SOURCE_DATE_EPOCH:-0}" {} +
find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --reproducible --quiet >"$out.tmp"
mv "$out.tmp" "$out"
