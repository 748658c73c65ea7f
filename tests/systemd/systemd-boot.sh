#!/bin/bash
# The systemd boot test (make systemd-check, part of make package-check):
# the Debian packages (make deb) installed in a Debian 12 root with
# systemd-sysv, udev and kmod (the bookworm chroot of package-check,
# tests/package/chroot.sh), made an ext4 image and booted twice in QEMU
# (TCG) with systemd as PID 1, a busybox initramfs mounting it
# (tests/systemd/guest/init), dm-combine.ko built by DKMS from the
# dmcombine-dkms package for the kernel. dmc-check.service
# (tests/systemd/guest/check) runs the checks and powers off:
#
#   boot 1  setup: 6 maps of scsi_debug LUNs made with the tool (full
#           mode: the devices removed, then all LUNs back in one modprobe
#           with 4 udev workers: each device created once by the
#           dmcombine-assemble-NAME unit the rules start through
#           systemd-run, no worker killed, no semaphore left); a map of two
#           virtio disks; an image-file map exported over loopback (saved)
#           and taken down as at shutdown; degraded_after= and scsi_debug
#           loading at boot for boot 2; the guest's data (the test acting
#           as the guest): on volumes of a map of virtio disks an ext4 with
#           the UUID and label of a host file system (hostfs, mounted by
#           fstab's UUID=), an LVM PV and VG, an md superblock, and on a
#           SCSI LUN (virtio-scsi: scsi_debug's keep nothing across boots)
#           an MBR with a partition holding a labelled ext2.
#   boot 2  the LUNs arrive at boot, udev.children_max=4: each device
#           created once, by its udev unit, no worker killed, no semaphore
#           left; the two-disk map with one disk absent starts degraded
#           through the rules' timer, degraded_after seconds after its disk
#           appeared and not before; the image-file map is assembled by
#           dmcombine-assemble.service and its export is back through
#           dmcombine-exports.service before a stand-in libvirt-guests.service
#           starts (it reads configfs), and its data reads back through the
#           exported disk; a member swapped for dm-error makes
#           dmcombine-monitor.service log the failing volume to the journal;
#           a volume appearing late in a device started degraded is put
#           back by the assembly unit the rules start for it (and the
#           monitor logs it back); the guest's data did nothing on the
#           host: no by-uuid or by-label link names a volume or a LUN's
#           partition, the host's links and mount name hostfs, the guest's
#           VG is not active, no md array, the partition the kernel read on
#           the LUN deleted or hidden, the guest's device assembled; no unit
#           failed.
#
# Both boots scan the guest's dmesg and the console for BUG, WARNING, Oops,
# hung tasks.
#
#   tests/systemd/systemd-boot.sh [KVER...]   (default: the 6.1 test kernel)
#
# Environment: SYSTEMD_CHECK_MANY LUNs (24), SYSTEMD_CHECK_FULL=1 (256 or
# LUNs, boot 1's burst, every Debian 12 test kernel), VM_TIMEOUT seconds
# per boot (600; full: 1800), VM_MEM MiB (1024).
# build/systemd-boot/ keeps the images (root-KVER.img as boot 2 left it),
# initramfs and console-KVER-N.log.
# Root needed (chroot, mounts); prints DMC-RESULT-style lines, the last
# line is "N passed, N failed, N skipped"; exit 1 on any failure. Loads no
# module on this host.
set -eu
cd "$(dirname "$0")/../.."
top=$PWD

if [ "$(id -u)" -ne 0 ]; then
	echo "systemd-boot: SKIP: needs root (chroot, mounts)"
	exit 77
fi
version=$(sed -n 's/^#define DMCOMBINE_VERSION "\(.*\)"/\1/p' include/dm-combine.h)
arch=$(dpkg --print-architecture)
tool_deb=build/deb/dmcombine_${version}_$arch.deb
dkms_deb=build/deb/dmcombine-dkms_${version}_all.deb
if [ ! -f "$tool_deb" ] || [ ! -f "$dkms_deb" ]; then
	echo "$0: no packages in build/deb (make deb)" >&2
	exit 1
fi
many=${SYSTEMD_CHECK_MANY:-24} bound=300 burst=0
if [ "${SYSTEMD_CHECK_FULL:-0}" = 1 ]; then
	many=${SYSTEMD_CHECK_MANY:-256} bound=1200 burst=1
	: "${VM_TIMEOUT:=1800}"
	# shellcheck disable=SC2046 # one kernel per word
	[ $# -gt 0 ] || set -- $(scripts/kernels.sh host)
fi
[ $# -gt 0 ] || set -- "$(scripts/kernels.sh host | head -n 1)"
[ -n "$1" ] || { echo "systemd-boot: SKIP: no Debian 12 kernel image with headers"; exit 77; }
# degraded_after= of boot 2: longer than the LUNs take to arrive at boot
# (each many map is incomplete until its last LUN, and its assembly unit
# must stop its timer before it fires).
degraded=30
[ "$many" -le 24 ] || degraded=300

work=$top/build/systemd-boot
root=$work/root
# shellcheck source=tests/package/chroot.sh
. tests/package/chroot.sh
# shellcheck source=scripts/vm/results.sh
. scripts/vm/results.sh
start=$SECONDS
cached_base
overlay_root
trap 'remove_root' EXIT
trap 'exit 1' INT TERM

# The root: the packages as an admin installs them (the tool only: the
# module comes from the DKMS package's source, built here below), systemd
# as init.
t=$SECONDS
mkdir "$root/debs"
cp "$tool_deb" "$root/debs/"
# lvm2 and mdadm: their udev rules must leave the guest's data alone
# (btrfs-progs: the setup's mkfs.btrfs; udev's own 64-btrfs.rules too).
apt_in_root install --no-install-recommends systemd-sysv udev kmod e2fsprogs lvm2 mdadm btrfs-progs \
	"/debs/${tool_deb##*/}"
echo "systemd-boot: root with systemd and dmcombine $version ($((SECONDS - t)) s)"

# The test's units and scripts; what would wait for a console or the
# network is masked.
guest=tests/systemd/guest
install -D -m 0755 -t "$root/usr/local/lib/dmc-check" "$guest/check" "$guest/guests"
for unit in dmc-check libvirt-guests; do
	install -m 0644 "$guest/$unit.service" "$root/etc/systemd/system/"
	ln -s "../$unit.service" "$root/etc/systemd/system/multi-user.target.wants/$unit.service"
done
for unit in systemd-firstboot.service serial-getty@.service getty@.service getty-static.service apt-daily.timer \
	apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer; do
	ln -sf /dev/null "$root/etc/systemd/system/$unit"
done
# hostfs: the host's own file system, mounted by UUID; a guest volume gets
# an ext4 with the same UUID and label.
hostfs_uuid=6a1b5c3e-0d7f-4a2b-9c8d-1e2f3a4b5c6d
printf 'LABEL=dmc-sd-root / ext4 rw 0 0\nUUID=%s /mnt/hostfs ext4 rw,nofail 0 0\n' "$hostfs_uuid" \
	>"$root/etc/fstab"
mkdir "$root/mnt/hostfs"
echo dmc-check >"$root/etc/hostname"
echo "options scsi_debug max_luns=$many num_tgts=1 dev_size_mb=4" >"$root/etc/modprobe.d/dmc-check.conf"
mkdir -m 0700 "$root/etc/dmcombine"
rm -rf "$root/debs" "$root/usr/sbin/policy-rc.d"

# Per kernel: the module built by DKMS from the package's source, an
# initramfs (scripts/vm/mkinitramfs.sh) whose module tree also goes into
# the root.
dpkg -x "$dkms_deb" "$work/dkms-package"
for kver in "$@"; do
	rm -rf "$work/dkms"
	mkdir -p "$work/dkms"
	dkms build -q -m dmcombine -v "$version" -k "$kver" --dkmstree "$work/dkms" \
		--sourcetree "$work/dkms-package/usr/src" >"$work/dkms-$kver.log" 2>&1 ||
		{ cat "$work/dkms-$kver.log"; exit 1; }
	ko=$(find "$work/dkms/dmcombine/$version/$kver" -name 'dm-combine.ko*' | head -n 1)
	mkdir -p "$work/module-$kver"
	cp "$ko" "$work/module-$kver/"
	scripts/vm/mkinitramfs.sh --kver "$kver" --out "$work/initrd-$kver" \
		--module "$work/module-$kver/${ko##*/}" --tests "$guest" 2>"$work/mkinitramfs-$kver.log"
	rm -rf "$work/initrd-files"
	mkdir "$work/initrd-files"
	(cd "$work/initrd-files" && cpio -idm --quiet "lib/modules/$kver/*" <"$work/initrd-$kver")
	mkdir -p "$root/usr/lib/modules"
	cp -R "$work/initrd-files/lib/modules/$kver" "$root/usr/lib/modules/"
done

# The image: the root without the chroot's mounts.
umount "$root/proc" "$root/var/cache/apt/archives"
rm -f "$work/root.img"
mkfs.ext4 -q -F -L dmc-sd-root -d "$root" "$work/root.img" 1G
echo "systemd-boot: image and initramfs ready ($((SECONDS - start)) s)"
remove_root

# TCG on shared cores starves the vCPUs (scripts/vm/boot-test.sh).
stall_limits="watchdog_thresh=60 rcupdate.rcu_cpu_stall_timeout=300"
read_problems "$guest/check"

# boot KVER N MODE "DISK..." [APPEND]: one boot of the kernel's image with
# these virtio disks besides the root (serial = name; lun-*: a SCSI disk on
# a virtio-scsi controller); its results.
# shellcheck disable=SC2154 # results: set by start_results
boot() {
	local log=$work/console-$1-$2.log drives=() v t=$SECONDS
	for v in $4; do
		drives+=(-drive "file=$work/$v.img,if=none,id=$v,format=raw")
		case $v in
		lun-*) drives+=(-device "scsi-hd,bus=scsi0.0,drive=$v,serial=$v") ;;
		*) drives+=(-device "virtio-blk-pci,drive=$v,serial=$v") ;;
		esac
	done
	echo "  boot $2: $3"
	timeout "${VM_TIMEOUT:-600}" qemu-system-x86_64 -m "${VM_MEM:-1024}" -smp 2 \
		-accel tcg,thread=single -display none -vga none -no-reboot -nic none -serial stdio \
		-kernel "$(scripts/kernels.sh image "$1")" -initrd "$work/initrd-$1" \
		-append "console=ttyS0 panic=-1 oops=panic systemd.show_status=false $stall_limits dmc.boot=$3 dmc.many=$many dmc.burst=$burst dmc.bound=$bound dmc.degraded=$degraded dmc.hostfs=$hostfs_uuid ${5:-}" \
		-drive "file=$work/root-$1.img,if=virtio,format=raw" -device virtio-scsi-pci,id=scsi0 "${drives[@]}" \
		</dev/null 2>"$work/qemu-$1-$2.log" | sed -u 's/\r$//' >"$log" || true
	sed -n 's/^DMC-RESULT //p' "$log" | tee -a "$results" | sed 's/^/  /'
	grep '^guest:' "$log" | sed 's/^/  /' || true
	grep -q '^DMC-DONE' "$log" || { note "boot$2" FAIL "gave no answer, see $log"; tail -n 30 "$log" | sed 's/^/    /'; }
	console_problems "console$2" "$log" "$work/problems-$1-$2"
	echo "  boot $2: $((SECONDS - t)) s"
}

# The guest's volumes: a SCSI LUN, virtio disks.
guest_disks="lun-g g-pv g-fs g-md g-bt"
for kver in "$@"; do
	echo "== systemd boot, $kver"
	start_results "$work/$kver"
	cp --sparse=always "$work/root.img" "$work/root-$kver.img"
	for v in deg-a deg-b $guest_disks; do
		rm -f "$work/$v.img"
		case $v in
		deg-*) truncate -s 8M "$work/$v.img" ;;
		g-bt) truncate -s 128M "$work/$v.img" ;; # mkfs.btrfs's least
		*) truncate -s 16M "$work/$v.img" ;;
		esac
	done
	mkdir -p "$work/hostfs-files"
	echo host >"$work/hostfs-files/host-data"
	rm -f "$work/hostfs.img"
	mkfs.ext4 -q -F -U "$hostfs_uuid" -L dmc-hostfs -d "$work/hostfs-files" "$work/hostfs.img" 16M
	boot "$kver" 1 setup "deg-a deg-b hostfs $guest_disks"
	boot "$kver" 2 check "deg-a hostfs $guest_disks" udev.children_max=4
	tally "$kver"
	exec 9>&-
done
echo "systemd-boot: $((SECONDS - start)) s"
totals
