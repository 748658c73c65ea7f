#!/bin/sh
# Two hosts at once (issue 15): scripts/vm/two-hosts.sh boots two guests at
# the same time, "a" and "b" (dmc.role= on the kernel command line), over
# the same image files as virtio disks (file.locking=off, cache=none,
# share-rw=on), each disk with a serial, and a "mailbox" disk through which
# the two take turns: each posts its step in its own 4 KiB block (O_DIRECT
# both ways, so neither guest's cache is in the way) and waits for the
# other's. A creates vm1 over m1 and m2, fills it with O_DIRECT writes and
# shares it; B imports and assembles it: the same DM UUID, libvirt disk
# (path, SCSI serial), size, block size and GPT bytes, and A's data byte
# for byte. Both active: A's next
# O_DIRECT write reads back on B; add and drop are refused on both. A
# removes; B keeps serving, writes, unshares and adds m3.
# The suite's guests run no udev: the by-id links udev's
# 60-persistent-storage.rules would make (virtio-$serial) are planted from
# sysfs, as tests 36 and 48 plant theirs. In the plain suite: SKIP.
. /tests/lib.sh
. /tests/tool.sh

role=$(sed -n 's/.*dmc\.role=\([ab]\).*/\1/p' /proc/cmdline)
[ -n "$role" ] || skip "needs two guests at once: scripts/vm/two-hosts.sh (make vm-check) runs it"
need_module
virtio_disks 4
byid=/dev/disk/by-id
mbox=$byid/virtio-mailbox
[ -b $mbox ] || fail "no mailbox disk: $(ls $byid)"

# post TEXT: this guest's step (no spaces) in its block of the mailbox.
mine=0 theirs=8
[ "$role" = a ] || { mine=8 theirs=0; }
post() {
	stamp $mbox $mine "$1"
}
# Whatever fails here, the other guest stops waiting.
on_exit() {
	[ "$1" = 0 ] || [ "$1" = 77 ] || post "failed-$role"
}
trap 'on_exit $?' EXIT

# await STEP: waits (at most 600 s: two TCG guests on a busy host) for the
# other guest to post STEP, and prints what it posted.
await() {
	waited=0
	while :; do
		posted=$(stamp_of $mbox $theirs)
		case $posted in
		"$1"*) echo "$posted" && return 0 ;;
		failed-*) fail "the other guest failed (posted $posted) while this one waited for $1" ;;
		esac
		waited=$((waited + 1))
		[ $waited -lt 600 ] || fail "waited 600 s for the other guest's $1 (last: $posted)"
		sleep 1
	done
}

# facts DEV: size, block size and the GPT at both ends, comma-separated.
facts() {
	size=$(blockdev --getsz "$1")
	echo "$size,$(blockdev --getss "$1")," \
		"$(dd if="$1" bs=1M count=1 iflag=direct 2>/dev/null | md5sum | cut -c1-32)," \
		"$(dd if="$1" bs=1M skip=$((size / 2048 - 1)) count=1 iflag=direct 2>/dev/null |
			md5sum | cut -c1-32)" | tr -d ' '
}

# sum_at DEV SECTOR MIB: md5 of MIB MiB from SECTOR, read with O_DIRECT.
sum_at() {
	dd if="$1" bs=1M skip=$(($2 / 2048)) count="$3" iflag=direct 2>/dev/null |
		md5sum | cut -c1-32
}

# write_at DEV SECTOR FILE: FILE to DEV at SECTOR with O_DIRECT.
write_at() {
	dd if="$3" of="$1" bs=1M seek=$(($2 / 2048)) oflag=direct conv=notrunc 2>/dev/null ||
		fail "O_DIRECT write to $1 at $2"
}

# layout_refused: add and drop refused on the shared map, the table unchanged.
layout_refused() {
	table=$(dmsetup table vm1)
	for change in "add vm1 $byid/virtio-m3" "drop vm1 m2"; do
		# shellcheck disable=SC2086 # the words of the command
		! dmc $change 2>/tmp/err || fail "$role: $change on a shared map succeeded"
		grep -q "shared with another host" /tmp/err || fail "$role: $change: $(cat /tmp/err)"
	done
	[ "$(dmsetup table vm1)" = "$table" ] || fail "$role: the table changed"
}

dev=/dev/mapper/vm1
if [ "$role" = a ]; then
	dmc create vm1 m1=$byid/virtio-m1 m2=$byid/virtio-m2 || fail "create"
	[ "$(volume_field vm1 m1 identity)" = $byid/virtio-m1 ] || fail "m1's identity"
	s1=$(volume_field vm1 m1 start) s2=$(volume_field vm1 m2 start)
	head -c 4194304 /dev/urandom >/tmp/fill
	write_at $dev "$s1" /tmp/fill
	write_at $dev "$s2" /tmp/fill
	dmc share vm1 >/tmp/vm1.json || fail "share"
	# The map through the mailbox, from its 64 KiB on.
	dd if=/tmp/vm1.json of=$mbox bs=64k seek=1 conv=sync,notrunc oflag=direct 2>/dev/null ||
		fail "map to the mailbox"
	post "shared:$(wc -c </tmp/vm1.json):$(md5sum </tmp/fill | cut -c1-32):$(facts $dev):$(dmsetup info -c --noheadings -o uuid vm1):$s1:$s2:$(dmc xml vm1 | md5sum | cut -c1-32)"
	await active >/dev/null
	layout_refused
	head -c 1048576 /dev/urandom >/tmp/fill2
	write_at $dev "$s2" /tmp/fill2
	post "written:$(md5sum </tmp/fill2 | cut -c1-32)"
	await read2 >/dev/null
	dmc remove vm1 || fail "remove on a"
	dmc remove --forget vm1 || fail "forget on a"
	post removed
	echo "a: created, filled, shared; both active; wrote again; removed"
	exit 0
fi

posted=$(await shared)
IFS=: read -r _ json_len fill_sum a_facts a_uuid s1 s2 a_xml <<EOF_POSTED
$posted
EOF_POSTED
dd if=$mbox bs=64k skip=1 count=1 iflag=direct 2>/dev/null | head -c "$json_len" >/tmp/vm1.json
dmc import /tmp/vm1.json || fail "import: $(cat /tmp/vm1.json)"
dmc assemble vm1 || fail "assemble"
[ "$(dmsetup info -c --noheadings -o uuid vm1)" = "$a_uuid" ] || fail "DM UUID differs"
# The libvirt disk: the same path and SCSI serial (the UUID).
[ "$(dmc xml vm1 | md5sum | cut -c1-32)" = "$a_xml" ] || fail "xml differs: $(dmc xml vm1)"
[ "$(facts $dev)" = "$a_facts" ] || fail "size, block size or GPT: b $(facts $dev), a $a_facts"
[ "$(sum_at $dev "$s1" 4)" = "$fill_sum" ] || fail "m1's data differs from a's writes"
[ "$(sum_at $dev "$s2" 4)" = "$fill_sum" ] || fail "m2's data differs from a's writes"
layout_refused
post active
posted=$(await written)
[ "$(sum_at $dev "$s2" 1)" = "${posted#written:}" ] ||
	fail "a's write while both were active does not read back on b"
post read2
await removed >/dev/null
# A is gone: B keeps serving, reads and writes.
[ "$(sum_at $dev "$s1" 4)" = "$fill_sum" ] || fail "m1's data after a removed"
head -c 1048576 /dev/urandom >/tmp/fill3
write_at $dev "$s1" /tmp/fill3
[ "$(sum_at $dev "$s1" 1)" = "$(md5sum </tmp/fill3 | cut -c1-32)" ] || fail "b's own write"
dmc unshare vm1 || fail "unshare"
dmc add vm1 m3=$byid/virtio-m3 || fail "add after unshare"
sgdisk -v $dev | grep -q 'No problems found' || fail "sgdisk -v: $(sgdisk -v $dev)"
[ "$(sgdisk -p $dev | grep -c '^ *[0-9]')" = 3 ] || fail "partitions: $(sgdisk -p $dev)"
dmc remove --forget vm1 || fail "remove on b"
post finished
echo "b: imported, the same disk and data; read a's write while both active; served alone; added m3"
