#!/bin/sh
# The gpt layout, create's default, seen as a partitioned disk (a loop
# device with partition scanning over /dev/mapper/NAME), for 512- and
# 4096-byte blocks: sgdisk -v finds no problem; blkid shows each volume as
# the partition its map --json names, with its ID as PARTLABEL, the
# registry's PARTUUID and its own file system UUID; the files written
# before combining read back through the mounted partitions; dmsetup table
# reloads to the same device; a hot-added volume appears with partx -a while
# the others stay mounted; a dropped one leaves the others untouched; writes
# to the GPT fail and change nothing; remove and assemble give back the
# same table. partx reads /dev/mapper/NAME through the page cache: that it
# sees the new GPT after add and drop (on 6.12) is the tool's doing (it
# drops the cached pages after each reload).
. /tests/lib.sh
. /tests/tool.sh
need_module
modprobe ext4

# ext4_volume FILE KIB ID BLOCK: an image of KIB KiB holding an ext4 file
# system labelled ID with one file, hello.txt ("ID-data"), attached to a
# loop device of BLOCK-byte sectors; prints the loop device.
ext4_volume() {
	mkdir -p "/tmp/files-$3"
	echo "$3-data" >"/tmp/files-$3/hello.txt"
	dd if=/dev/zero of="$1" bs=1k count=0 seek="$2" 2>/dev/null
	mke2fs -q -t ext4 -b 4096 -L "$3" -d "/tmp/files-$3" "$1" >/dev/null 2>&1 ||
		fail "mke2fs $1"
	losetup --show -f -b "$4" "$1" || fail "losetup $1"
}

# fs_uuid DEV: the file system UUID on DEV.
fs_uuid() {
	blkid -c /dev/null -s UUID -o value "$1"
}

# check_volume DISK ID: volume ID is partition N of DISK (N from map
# --json) with PARTLABEL ID, the registry's PARTUUID and its own file
# system UUID; mounted on /tmp/mnt-ID, its file reads back.
check_volume() {
	n=$(volume_field vm "$2" partition)
	part=${1}p$n
	[ -b "$part" ] || fail "$2: no partition $n on $1: $(ls /dev/loop*)"
	blkid -c /dev/null -o export "$part" >/tmp/blkid
	grep -qx "PARTLABEL=$2" /tmp/blkid || fail "$2: PARTLABEL: $(cat /tmp/blkid)"
	grep -qx "PARTUUID=$(volume_field vm "$2" partuuid)" /tmp/blkid ||
		fail "$2: PARTUUID: $(cat /tmp/blkid), map $(dmc map vm --json)"
	grep -qx "UUID=$(cat "/tmp/uuid-$2")" /tmp/blkid || fail "$2: UUID: $(cat /tmp/blkid)"
	mkdir -p "/tmp/mnt-$2"
	mount -t ext4 "$part" "/tmp/mnt-$2" || fail "$2: mount $part"
	[ "$(cat "/tmp/mnt-$2/hello.txt")" = "$2-data" ] || fail "$2: file not read back"
}

# still_working ID: the mounted volume ID takes a new file and reads it back.
still_working() {
	echo "$1-more" >"/tmp/mnt-$1/more.txt" && sync || fail "$1: write failed"
	[ "$(cat "/tmp/mnt-$1/hello.txt" "/tmp/mnt-$1/more.txt")" = "$(printf '%s\n%s' "$1-data" "$1-more")" ] ||
		fail "$1: files not read back"
}

# partitions DEV: "NR NAME," for each partition in DEV's partition table.
partitions() {
	partx -s -g -o NR,NAME "$1" | awk '{ printf "%s %s,", $1, $2 }'
}

# run_layout BLOCK: the whole check with volumes of BLOCK-byte sectors.
run_layout() {
	bs=$1
	# b is 6 MiB + 4 KiB: padding follows it up to the next 1 MiB.
	members=
	for v in a:8192 b:6148 c:8192; do
		dev=$(ext4_volume "/tmp/${v%:*}.img" "${v#*:}" "${v%:*}" "$bs")
		fs_uuid "$dev" >"/tmp/uuid-${v%:*}"
		members="$members ${v%:*}=$dev"
	done
	# shellcheck disable=SC2086 # one word per member
	dmc create vm $members || fail "create"
	dmc map vm --json | jq -e '.layout == "gpt" and
		([.volumes[] | [.id, .partition, .start % 2048]] ==
		 [["a", 1, 0], ["b", 2, 0], ["c", 3, 0]]) and
		([.volumes[].partuuid | test("^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$")] | all)' \
		>/dev/null || fail "map --json: $(dmc map vm --json)"
	sgdisk -v /dev/mapper/vm >/tmp/sgdisk 2>&1 || true
	grep -q 'No problems found' /tmp/sgdisk || fail "sgdisk -v: $(cat /tmp/sgdisk)"
	# Direct I/O, as a guest with cache=none reads: the host's page cache of
	# /dev/mapper/vm would keep the old GPT across add and drop.
	disk=$(losetup --show -f -P -b "$bs" --direct-io=on /dev/mapper/vm) ||
		fail "losetup -P on the device"
	blkid -c /dev/null -s PTUUID -o value "$disk" | grep -qx "$(dmc map vm --json | jq -r .uuid)" ||
		fail "disk GUID is not the device's UUID: $(blkid -c /dev/null "$disk")"
	for id in a b c; do
		check_volume "$disk" "$id"
	done

	# dmsetup table reloads to the same device, and the tool still reads it.
	dmsetup table vm >/tmp/table1
	dmsetup reload vm --table "$(cat /tmp/table1)" && dmsetup resume vm ||
		fail "reload of dmsetup table: $(cat /tmp/table1)"
	dmsetup table vm | cmp -s - /tmp/table1 || fail "table changed by its own reload"
	dmc status vm >/dev/null || fail "status after the reload"

	# Writes to the GPT (header and entries) fail and change nothing. 4 KiB
	# buffers: busybox dd takes smaller ones from malloc, and when O_DIRECT
	# refuses them it writes through the page cache instead.
	before=$(md5_range /dev/mapper/vm 0 2048)
	for block in 1 2; do
		dd if=/dev/zero of=/dev/mapper/vm bs=4096 count=1 seek=$((block * bs)) \
			oflag=seek_bytes,direct conv=notrunc 2>/tmp/dd.err &&
			fail "write to GPT block $block succeeded: $(cat /tmp/dd.err)"
	done
	[ "$(md5_range /dev/mapper/vm 0 2048)" = "$before" ] || fail "GPT changed by a failed write"

	[ "$(partitions /dev/mapper/vm)" = "1 a,2 b,3 c," ] ||
		fail "partitions before add: $(partitions /dev/mapper/vm)"

	# Hot add: d appears with partx -a; the others stay mounted.
	dev=$(ext4_volume /tmp/d.img 4100 d "$bs")
	fs_uuid "$dev" >/tmp/uuid-d
	dmc add vm d="$dev" || fail "add d"
	[ "$(volume_field vm d partition)" = 4 ] || fail "d is not partition 4"
	[ "$(partitions /dev/mapper/vm)" = "1 a,2 b,3 c,4 d," ] ||
		fail "partitions after add: $(partitions /dev/mapper/vm)"
	sgdisk -v /dev/mapper/vm >/tmp/sgdisk 2>&1 || true
	grep -q 'No problems found' /tmp/sgdisk || fail "sgdisk -v after add: $(cat /tmp/sgdisk)"
	# The new size, and the new GPT rather than the cached one.
	losetup -c "$disk" || fail "losetup -c"
	blockdev --flushbufs "$disk"
	partx -a --nr 4 "$disk" || fail "partx -a"
	check_volume "$disk" d
	for id in a b c; do
		still_working "$id"
	done

	# Drop b: a, c and d keep their partitions and data.
	umount /tmp/mnt-b
	dmc drop vm b || fail "drop b"
	partx -d --nr 2 "$disk" || fail "partx -d 2"
	blockdev --flushbufs "$disk"
	[ "$(partitions /dev/mapper/vm)" = "1 a,3 c,4 d," ] ||
		fail "partitions after drop: $(partitions /dev/mapper/vm)"
	[ "$(partitions "$disk")" = "1 a,3 c,4 d," ] && [ ! -b "${disk}p2" ] ||
		fail "partitions of $disk after drop: $(partitions "$disk")"
	for id in a c d; do
		still_working "$id"
	done
	sgdisk -v /dev/mapper/vm >/tmp/sgdisk 2>&1 || true
	grep -q 'No problems found' /tmp/sgdisk || fail "sgdisk -v after drop: $(cat /tmp/sgdisk)"

	for id in a c d; do
		umount "/tmp/mnt-$id"
	done
	losetup -d "$disk"

	# remove and assemble give back the same table: the same GPT.
	dmsetup table vm >/tmp/table1
	dmc remove vm || fail "remove"
	dmc assemble vm || fail "assemble"
	dmsetup table vm | cmp -s - /tmp/table1 ||
		fail "table changed across assemble: $(cat /tmp/table1) / $(dmsetup table vm)"
	[ "$(partitions /dev/mapper/vm)" = "1 a,3 c,4 d," ] ||
		fail "partitions after assemble: $(partitions /dev/mapper/vm)"
	dmc remove --forget vm || fail "remove"
	for v in a b c d; do
		losetup -d "$(losetup -j "/tmp/$v.img" | cut -d: -f1)"
		rm "/tmp/$v.img"
	done
	no_trace vm
	echo "gpt with $bs-byte blocks: sgdisk clean, 4 partitions by ID, add and drop while mounted"
}

run_layout 512
run_layout 4096

# A volume the host mounts at boot: create and add warn where the host
# would no longer find its file system (any volume under gpt, all but the
# first under concat) and stay silent where it would.
boot_warnings() {
	image /tmp/hostfs.img 4 hostfs
	image /tmp/other.img 4 other
	cp /etc/fstab /tmp/fstab.saved 2>/dev/null || : >/tmp/fstab.saved
	echo 'LABEL=hostfs /srv ext2 defaults 0 2' >>/etc/fstab
	warning='hostfs.img: the host names it at boot (LABEL=hostfs) but cannot find it in bn'
	dmc create bn --layout concat /tmp/hostfs.img /tmp/other.img 2>/tmp/bn.err || fail "create"
	! grep -q 'names it at boot' /tmp/bn.err || fail "concat warned for its first volume: $(cat /tmp/bn.err)"
	dmc remove --forget bn || fail "remove"
	dmc create bn --layout concat /tmp/other.img /tmp/hostfs.img 2>/tmp/bn.err || fail "create"
	grep -q "$warning: only the first volume" /tmp/bn.err || fail "concat, second: $(cat /tmp/bn.err)"
	dmc remove --forget bn || fail "remove"
	dmc create bn /tmp/other.img 2>/tmp/bn.err || fail "create"
	! grep -q 'names it at boot' /tmp/bn.err || fail "a volume nobody names warned: $(cat /tmp/bn.err)"
	dmc add bn /tmp/hostfs.img 2>/tmp/bn.err || fail "add"
	grep -q "$warning: its file system is in a partition" /tmp/bn.err || fail "gpt add: $(cat /tmp/bn.err)"
	dmc remove --forget bn || fail "remove"
	cp /tmp/fstab.saved /etc/fstab
	rm /tmp/hostfs.img /tmp/other.img
	no_trace bn
	echo "a volume named in /etc/fstab: warned under gpt and as concat's second volume, not as its first"
}
boot_warnings
