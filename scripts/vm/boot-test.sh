#!/bin/bash
# The host integration test (make host-check): for each kernel, install the
# project into a staging root (make install DESTDIR=...), build dm-combine
# with DKMS from that staged source, build a dracut initramfs with the
# staged 90dmcombine module, udev rules, tool and registry, and an
# initramfs-tools image, and boot them in QEMU (TCG) with the volumes as
# virtio disks:
#
#   boot 1  root=/dev/mapper/root, "root" joining two disks that hold one
#           ext4 file system (written on this host without dm: one image cut
#           at the region boundary). The root's init (tests/host/init)
#           checks the root, starts the system's udev, and hot-plugs the
#           volumes of a second device "hot" through the QEMU monitor.
#   boot 2  rd.dmcombine=0 and a plain root disk: nothing is assembled in
#           the initramfs; the booted system's udev assembles "root" then.
#           Then a map of two image files on the root, exported over
#           loopback (the export saved), and dmcombine-assemble's ExecStop
#           as at shutdown: device and export go, map and saved export
#           stay.
#   boot 3  root=LABEL=dmc-root, rd.dmcombine.name=root and every volume of
#           "hot" present too: the initramfs assembles "root" only, and the
#           label names the combined device, not its first volume.
#   boot 4  the same from an initramfs-tools image (mkinitramfs with the
#           staged hook and scripts), dmcombine.name=root.
#   boot 5  many volumes at once: scsi_debug LUNs in 12 combined devices
#           (maps made in the guest), all LUNs back in one modprobe with
#           udev limited to 4 workers and the rules' initqueue path (a loop
#           runs the jobs as dracut's main loop does): each device created
#           once (one dm add uevent) within the bound, no worker killed, no
#           udev timeout, no semaphore left (ipcs).
#   boot 6  the booted system adds a volume to "root" and drops one from
#           "hot": both say the initramfs holds an older map.
#   boot 7  the same (now stale) initramfs again, assembling both: root
#           (mounted) is reported stale by dmcombine status, hot (unused)
#           is assembled again from its current map.
#   boot 8  boot 2's root again, rebooted: udev assembles nothing of the
#           image-file map; the ExecStart commands of
#           dmcombine-assemble.service and dmcombine-exports.service, run
#           as systemd would (the root has no systemd, only its udev; '-'
#           ignores a failure: the other maps' volumes are absent),
#           assemble the map and export it again with the same disk
#           identity and data, twice over an ExecStop; unexport forgets
#           the saved export.
#
#   scripts/vm/boot-test.sh KVER...
#
# Environment: VM_WORKDIR (build), VM_TIMEOUT seconds per boot (600),
# VM_MEM MiB (1024), VM_APPEND more kernel command line, VM_BOOTS the boots
# to run ("1 2 3 4 5 6 7 8"; 7 needs 6 before it, 8 needs 2), HOST_CHECK_MANY volumes in
# boot 5 (24), HOST_CHECK_FULL=1 for the full 256 (bound 1200 s, VM_TIMEOUT
# 3600 s).
# build/host-KVER/ keeps stage/, initrd.img, the disk images and
# console-N.log. Prints DMC-RESULT-style lines as the guest reports them;
# the last line is "N passed, N failed, N skipped"; exit 1 on any failure.
# Installs nothing on this host and loads no module here (DKMS may make its
# signing key in /var/lib/dkms, as any DKMS build does).
set -eu
cd "$(dirname "$0")/../.."

[ $# -gt 0 ] || { echo "usage: $0 KVER..." >&2; exit 2; }

version=$(sed -n 's/^#define DMCOMBINE_VERSION "\(.*\)"/\1/p' include/dm-combine.h)
# Volume sizes (MiB): the root's two volumes, and the hot-plugged ones.
m1_mib=64 m2_mib=128 hot_mib=8
# The many-volume boot: scsi_debug LUNs in 12 devices, all assembled
# within the bound (seconds). HOST_CHECK_FULL=1: 256 volumes.
if [ "${HOST_CHECK_FULL:-0}" = 1 ]; then
	many_volumes=256 many_bound=1200
	: "${VM_TIMEOUT:=3600}"
else
	many_volumes=${HOST_CHECK_MANY:-24} many_bound=300
fi
# shellcheck source=scripts/vm/results.sh
. scripts/vm/results.sh

for tool in dracut dkms mkfs.ext4 cpio depmod qemu-system-x86_64; do
	command -v "$tool" >/dev/null || { echo "$0: $tool missing (make test-deps)" >&2; exit 1; }
done
busybox=$(command -v busybox)
file -L "$busybox" | grep -q 'statically linked' || { echo "$0: busybox is not static" >&2; exit 1; }

# volume ID SERIAL MIB START_SECTORS: one registry region, by its by-id path.
volume() {
	local sectors=$(($3 * 2048))
	printf '{"id": "%s", "source": "/dev/disk/by-id/virtio-%s", "identity": "/dev/disk/by-id/virtio-%s", "size": %d, "start": %d, "length": %d, "offset": 0, "loop": false}' \
		"$1" "$2" "$2" "$sectors" "$4" "$sectors"
}

# registry NAME REGION...: CONFIG_DIR/NAME.json as dmcombine writes it.
registry() {
	local name=$1 uuid
	shift
	uuid=$(cat /proc/sys/kernel/random/uuid)
	local IFS=,
	printf '{"format": 1, "name": "%s", "uuid": "%s", "layout": "concat", "logical_block_size": 512, "generation": 1, "regions": [%s]}\n' \
		"$name" "$uuid" "$*" >"$stage/etc/dmcombine/$name.json"
}

# stage KVER: the project installed in $stage, its module built by DKMS,
# and a module tree for dracut: the kernel's (symlinks) plus dm-combine.
stage() {
	rm -rf "$stage" "$dir/dkms" "$dir/modules"
	make -s install DESTDIR="$stage" >/dev/null
	mkdir -p "$stage/etc"
	mkdir -m 0700 "$stage/etc/dmcombine"
	registry root "$(volume m1 dmc-m1 $m1_mib 0)" "$(volume m2 dmc-m2 $m2_mib $((m1_mib * 2048)))"
	registry hot "$(volume a hot-a $hot_mib 0)" "$(volume b hot-b $hot_mib $((hot_mib * 2048)))"
	mkdir -p "$dir/dkms"
	dkms build -q -m dmcombine -v "$version" -k "$1" --dkmstree "$dir/dkms" \
		--sourcetree "$stage/usr/src" >"$dir/dkms.log" 2>&1 || { cat "$dir/dkms.log"; return 1; }
	local ko
	ko=$(find "$dir/dkms/dmcombine/$version/$1" -name 'dm-combine.ko*' | head -n 1)
	[ -n "$ko" ] || { echo "DKMS built no module"; return 1; }
	local kmod=$dir/modules/lib/modules/$1
	mkdir -p "$kmod/updates/dkms"
	cp -as "/lib/modules/$1/." "$kmod/"
	rm -f "$kmod"/modules.*
	cp "/lib/modules/$1"/modules.{order,builtin,builtin.modinfo} "$kmod/"
	cp "$ko" "$kmod/updates/dkms/"
	depmod -b "$dir/modules" "$1"
}

# initramfs KVER: dracut with the staged 90dmcombine, from a private copy
# of dracut's module directory (symlinks), and no host configuration.
# Without 90kernel-modules (every storage and file system driver: 100 MB)
# the image has the drivers named here and those of dm and dmcombine.
# The booted root is this image's files: the export boots need loop and
# LIO's modules in it, the units' stop helper needs grep.
initramfs() {
	rm -rf "$dir/dracut" "$dir/confdir"
	mkdir -p "$dir/dracut" "$dir/confdir"
	cp -as /usr/lib/dracut/. "$dir/dracut/"
	ln -s "$stage/usr/lib/dracut/modules.d/90dmcombine" "$dir/dracut/modules.d/90dmcombine"
	DMCOMBINE_DESTDIR=$stage dracutbasedir=$dir/dracut dracut --force --quiet \
		--no-hostonly --no-hostonly-cmdline --no-early-microcode --no-compress \
		--conf /dev/null --confdir "$dir/confdir" --kver "$1" \
		--kmoddir "$dir/modules/lib/modules/$1" \
		-m "base rootfs-block udev-rules dm dmcombine" \
		--add-drivers "virtio_blk virtio_pci ext4 dm-combine scsi_debug sd_mod loop configfs target_core_iblock tcm_loop" \
		--install grep \
		"$dir/initrd.img" >"$dir/dracut.log" 2>&1 || { cat "$dir/dracut.log"; return 1; }
}

# initramfs_tools KVER: an initramfs-tools image (mkinitramfs) with the
# staged hook and boot scripts in a configuration directory of its own
# (MODULES=list: the drivers named), built in a private mount namespace
# where the kernel's module tree shows dm-combine through an overlay:
# nothing changes on this host.
initramfs_tools() {
	local conf=$dir/itconf extra=$dir/itmodules it=$stage/usr/share/initramfs-tools
	rm -rf "$conf" "$extra"
	mkdir -p "$conf/hooks" "$conf/scripts/init-top" "$conf/scripts/local-block" "$conf/conf.d" \
		"$extra/updates/dkms"
	printf 'MODULES=list\nBUSYBOX=y\nCOMPRESS=gzip\n' >"$conf/initramfs.conf"
	printf 'virtio_pci\nvirtio_blk\next4\n' >"$conf/modules"
	cp "$it/hooks/dmcombine" "$conf/hooks/"
	cp "$it/scripts/init-top/dmcombine" "$conf/scripts/init-top/"
	cp "$it/scripts/local-block/dmcombine" "$conf/scripts/local-block/"
	cp "$dir/modules/lib/modules/$1"/modules.* "$extra/"
	cp "$dir/modules/lib/modules/$1/updates/dkms"/* "$extra/updates/dkms/"
	# shellcheck disable=SC2016 # expanded by the inner sh
	DMCOMBINE_DESTDIR=$stage unshare -m sh -ec '
		mount --make-rprivate /
		mount -t overlay overlay -o "lowerdir=$1:/lib/modules/$2" "/lib/modules/$2"
		mkinitramfs -d "$3" -o "$4" "$2"' sh "$extra" "$1" "$conf" "$dir/initrd-it.img" \
		>"$dir/mkinitramfs.log" 2>&1 || { cat "$dir/mkinitramfs.log"; return 1; }
}

# disks: the root tree (the initramfs's files, busybox, the checks, a file
# that crosses into the second volume) as one ext4 image cut in two, a
# plain root disk with the same tree, and the hot volumes.
disks() {
	local tree=$dir/tree
	rm -rf "$tree" "$dir"/*.img.part
	mkdir -p "$tree/dmc-test"
	(cd "$tree" && cpio -idm --quiet <"$dir/initrd.img")
	# The booted system has no initqueue (the rules would queue jobs there);
	# the many-volume boot runs one, as dracut's main loop does.
	mv "$tree/usr/sbin/initqueue" "$tree/dmc-test/initqueue"
	# Which maps the initramfs holds, as its hook recorded them.
	mkdir -p "$tree/var/lib/dmcombine"
	cp -R "$stage/var/lib/dmcombine/initramfs" "$tree/var/lib/dmcombine/"
	cp "$busybox" "$tree/busybox"
	cp tests/host/init "$tree/dmc-test/init"
	# The units and their helper, which boots 8 and 9 run.
	mkdir -p "$tree/lib/systemd/system" "$tree/usr/lib/dmcombine"
	cp "$stage"/lib/systemd/system/dmcombine-*.service "$tree/lib/systemd/system/"
	cp "$stage/usr/lib/dmcombine/dmcombine-stop-images" "$tree/usr/lib/dmcombine/"
	local used
	used=$(du -sm "$tree" | cut -f1)
	# Fill to about 70 %: ext4 places the file past the first volume.
	head -c $(((m1_mib + m2_mib) * 7 / 10 - used))M /dev/urandom >"$tree/dmc-test/big"
	md5sum "$tree/dmc-test/big" | cut -d' ' -f1 >"$tree/dmc-test/big.md5"
	rm -f "$dir/root.img" "$dir/plain.img"
	mkfs.ext4 -q -F -L dmc-root -d "$tree" "$dir/root.img" $((m1_mib + m2_mib))M
	dd if="$dir/root.img" of="$dir/dmc-m1.img" bs=1M count=$m1_mib status=none
	dd if="$dir/root.img" of="$dir/dmc-m2.img" bs=1M skip=$m1_mib status=none
	rm -f "$dir/root.img"
	rm "$tree/dmc-test/big"
	mkfs.ext4 -q -F -L dmc-plain -d "$tree" "$dir/dmc-plain.img" 128M
	for v in hot-a hot-b dmc-m3; do
		rm -f "$dir/$v.img"
		truncate -s ${hot_mib}M "$dir/$v.img"
	done
}

# TCG on a machine whose cores other jobs share starves the vCPUs for tens
# of seconds (a boot probing many disks, or any boot under load): the
# soft-lockup and RCU stall detectors would report the host's load, not
# the guest's (seen in boots 5 and 6 at a load of 8 on 2 cores).
stall_limits="watchdog_thresh=60 rcupdate.rcu_cpu_stall_timeout=300"

# boot N APPEND DISK...: one guest with these virtio disks (serial = image
# name); result lines shown as they come, hot-plug requests served through
# the monitor (pipe:mon, FIFOs mon.in and mon.out).
boot() {
	local log=$dir/console-$1.log line v drives=()
	for v in "${@:3}"; do
		drives+=(-drive "file=$dir/$v.img,if=none,id=$v,format=raw"
			 -device "virtio-blk-pci,drive=$v,id=$v,serial=$v")
	done
	rm -f "$dir/mon.in" "$dir/mon.out"
	mkfifo "$dir/mon.in" "$dir/mon.out"
	# Opened read-write here, so that QEMU's opens do not block.
	exec 7<>"$dir/mon.in" 8<>"$dir/mon.out"
	cat <&8 >"$dir/monitor-$1.log" &
	local monitor_reader=$!
	timeout "${VM_TIMEOUT:-600}" qemu-system-x86_64 -m "${VM_MEM:-1024}" -smp 2 \
		-accel tcg,thread=single -display none -no-reboot -nic none \
		-serial stdio -monitor "pipe:$dir/mon" \
		-kernel "/boot/vmlinuz-$kver" -initrd "${initrd:-$dir/initrd.img}" \
		-append "console=ttyS0 panic=-1 oops=panic rd.shell=0 rd.retry=30 rw $stall_limits $2 ${VM_APPEND:-}" \
		"${drives[@]}" </dev/null 2>"$dir/qemu-$1.log" |
		sed -u 's/\r$//' | tee "$log" |
		while IFS= read -r line; do
			case $line in
			"DMC-HOTPLUG add "*)
				v=${line#DMC-HOTPLUG add }
				echo "drive_add 0 file=$dir/$v.img,if=none,id=$v,format=raw" >&7
				echo "device_add virtio-blk-pci,drive=$v,id=$v,serial=$v" >&7
				;;
			"DMC-HOTPLUG del "*)
				echo "device_del ${line#DMC-HOTPLUG del }" >&7
				;;
			DMC-RESULT*) echo "  ${line#DMC-RESULT }" ;;
			guest:*) echo "  $line" ;;
			esac
		done
	local rc=${PIPESTATUS[0]}
	kill "$monitor_reader" 2>/dev/null || true
	exec 7>&- 8>&-
	sed -n 's/^DMC-RESULT //p' "$log" >>"$results"
	if ! grep -q '^DMC-DONE$' "$log"; then
		note "boot$1" FAIL "gave no answer (QEMU exit $rc), see $log"
		tail -n 30 "$log" | sed 's/^/    /'
	fi
	# What the kernel printed on the console (a panic, an oops).
	local problems
	read_problems tests/host/init
	if grep -v '^    ' "$log" | grep -E "$problems" >"$dir/problems-$1"; then
		note "console$1" FAIL "$(head -n 1 "$dir/problems-$1")"
	fi
}

# run_boot N TITLE INITRD APPEND DISK...: boot N (INITRD "": dracut's)
# unless VM_BOOTS leaves it out, and how long it took.
run_boot() {
	case " ${VM_BOOTS:-1 2 3 4 5 6 7 8} " in
	*" $1 "*) ;;
	*) return 0 ;;
	esac
	local t=$SECONDS
	echo "  boot $1: $2"
	initrd=$3 boot "$1" "${@:4}"
	echo "  boot $1: $((SECONDS - t)) s"
}

for kver in "$@"; do
	dir=$(realpath -m "${VM_WORKDIR:-build}/host-$kver")
	stage=$dir/stage
	echo "== host integration, $kver"
	start_results "$dir"
	t0=$SECONDS
	if ! stage "$kver" >"$dir/stage.log" 2>&1; then
		note stage FAIL "see $dir/stage.log"
	elif ! initramfs "$kver" >"$dir/initramfs.log" 2>&1; then
		note initramfs FAIL "see $dir/initramfs.log"
	elif ! initramfs_tools "$kver" >"$dir/initramfs-tools.log" 2>&1; then
		note initramfs-tools FAIL "see $dir/initramfs-tools.log"
	elif ! disks >"$dir/disks.log" 2>&1; then
		note disks FAIL "see $dir/disks.log"
	else
		echo "  staging, DKMS, dracut, mkinitramfs and images: $((SECONDS - t0)) s"
		run_boot 1 "root on a combined device, hot-plug" "" \
			"root=/dev/mapper/root init=/dmc-test/init dmc.mode=root" \
			dmc-m1 dmc-m2 dmc-plain hot-a
		run_boot 2 "rd.dmcombine=0, an image-file map exported, stopped as at shutdown" "" \
			"root=LABEL=dmc-plain rd.dmcombine=0 init=/dmc-test/init dmc.mode=disabled" \
			dmc-m1 dmc-m2 dmc-plain hot-a
		run_boot 3 "root=LABEL=, rd.dmcombine.name=root" "" \
			"root=LABEL=dmc-root rd.dmcombine.name=root init=/dmc-test/init dmc.mode=named" \
			dmc-m1 dmc-m2 hot-a hot-b
		run_boot 4 "initramfs-tools, root=LABEL=, dmcombine.name=root" "$dir/initrd-it.img" \
			"root=LABEL=dmc-root dmcombine.name=root init=/dmc-test/init dmc.mode=named" \
			dmc-m1 dmc-m2 hot-a hot-b
		run_boot 5 "$many_volumes volumes of 12 devices at once, 4 udev workers" "" \
			"root=/dev/mapper/root init=/dmc-test/init dmc.mode=many dmc.many=$many_volumes dmc.bound=$many_bound" \
			dmc-m1 dmc-m2
		run_boot 6 "add and drop on the booted system" "" \
			"root=/dev/mapper/root init=/dmc-test/init dmc.mode=stale-setup" \
			dmc-m1 dmc-m2 dmc-m3 hot-a hot-b
		run_boot 7 "the same initramfs again: stale maps" "" \
			"root=/dev/mapper/root rd.dmcombine.name=root rd.dmcombine.name=hot init=/dmc-test/init dmc.mode=stale" \
			dmc-m1 dmc-m2 dmc-m3 hot-a hot-b
		run_boot 8 "boot 2's root rebooted: the units assemble the image-file map and export it again" "" \
			"root=LABEL=dmc-plain rd.dmcombine=0 init=/dmc-test/init dmc.mode=reboot" \
			dmc-plain
	fi
	tally "$kver"
	exec 9>&-
done

totals
