#!/bin/sh
# kill -9 of dmcombine move at each step boundary (DMCOMBINE_TEST_STOP):
# before the mirror, during the copy, between copy and switch, at the
# switch, after the switch before the map is saved. Then assemble, with
# the device still active or after a "reboot" (every dm device gone):
# before the switch the move is abandoned on the old device, from the
# switch on it is finished on the new one; no write is lost, the map and
# the live table agree, and no mirror, record or loop device is left.
. /tests/lib.sh
. /tests/tool.sh
need_module
modprobe dm-mirror || skip "no dm-mirror module"

brd_load 3 8192
image /tmp/n.img 8
dmc -q create vm a=/dev/ram0 b=/dev/ram1 2>/dev/null || fail "create"
a_start=$(volume_field vm a start)
dd if=/dev/urandom of=/dev/mapper/vm bs=1M seek=$((a_start / 2048)) count=8 oflag=direct 2>/dev/null ||
	fail "fill a"

# settled WHERE: a is on WHERE in the map and in the live table, nothing
# of the move is left, every loop is held by a table.
settled() {
	[ "$(volume_field vm a source)" = "$1" ] || fail "$point: map has a on $(volume_field vm a source), not $1"
	dev=$1
	[ -b "$dev" ] || dev=$(losetup -j "$1" | cut -d: -f1)
	dmsetup table vm | grep -q " $(devnum "$dev") " || fail "$point: table $(dmsetup table vm), a on $1"
	! dmsetup info vm-move-a >/dev/null 2>&1 || fail "$point: mirror left"
	[ ! -e "$config_dir/.vm.json.move" ] || fail "$point: move record left"
	loops_held
}

# rest_of_a: md5 of volume a after its first 4 KiB (where the stamps go).
rest_of_a() {
	dd if=/dev/mapper/vm bs=4096 skip=$((a_start / 8 + 1)) count=2047 iflag=direct 2>/dev/null | md5sum
}

# The device stays active (the tool was killed): assemble settles the move.
from=/dev/ram0
for point in move-recorded move-suspended move-copying move-synced move-switching move-switched; do
	case $from in /dev/ram0) to=/tmp/n.img ;; *) to=/dev/ram0 ;; esac
	sum=$(rest_of_a)
	killed_at "$point" dmc move vm a "$to"
	dmc status vm | grep -q '^move: volume a .*: interrupted' || fail "$point: status $(dmc status vm)"
	# Left suspended at move-suspended: the write waits for the assemble.
	stamp /dev/mapper/vm "$a_start" "after-$point" &
	writer=$!
	[ "$point" != move-suspended ] || dmsetup info vm | grep -q SUSPENDED ||
		fail "$point: not suspended: $(dmsetup info vm)"
	dmc assemble vm 2>/tmp/err || fail "$point: assemble: $(cat /tmp/err)"
	wait "$writer" || fail "$point: the write failed"
	case $point in
	move-switching|move-switched) grep -q 'moved to' /tmp/err || fail "$point: $(cat /tmp/err)"; from=$to ;;
	*) grep -q 'abandoned' /tmp/err || fail "$point: $(cat /tmp/err)" ;;
	esac
	settled "$from"
	[ "$(stamp_of /dev/mapper/vm "$a_start")" = "after-$point" ] || fail "$point: write lost"
	[ "$(rest_of_a)" = "$sum" ] || fail "$point: data changed"
	echo "killed at $point, device active: $(grep -o 'abandoned\|moved to' /tmp/err)"
done

# A reboot: the tool killed, every dm device gone, then udev's assembly.
for point in move-copying move-switched; do
	case $from in /dev/ram0) to=/tmp/n.img ;; *) to=/dev/ram0 ;; esac
	killed_at "$point" dmc move vm a "$to"
	stamp /dev/mapper/vm "$a_start" "reboot-$point"
	dmsetup remove vm && dmsetup remove vm-move-a 2>/dev/null
	dmsetup remove vm-move-a 2>/dev/null || true
	! dmsetup info vm >/dev/null 2>&1 || fail "$point: vm not removed"
	# As udev does it: the event of a volume that completes the device.
	dmc assemble --incremental /dev/ram1 2>/tmp/err || fail "$point: assemble after a reboot: $(cat /tmp/err)"
	dmsetup info vm >/dev/null 2>&1 || fail "$point: not assembled: $(cat /tmp/err)"
	[ "$point" = move-copying ] || from=$to
	settled "$from"
	[ "$(stamp_of /dev/mapper/vm "$a_start")" = "reboot-$point" ] || fail "$point: write lost over the reboot"
	echo "killed at $point, rebooted: a on $from"
done

# A leftover mirror of a dead move does not stop remove, nor the next move.
killed_at move-copying dmc move vm a /dev/ram2
dmc -q move vm a /dev/ram2 || fail "move after a killed one"
settled /dev/ram2
killed_at move-copying dmc move vm a /dev/ram0
dmc -q remove vm || fail "remove after a killed move"
! dmsetup info vm-move-a >/dev/null 2>&1 || fail "remove left the mirror"
dmc -q assemble vm || fail "assemble"
point=remove
settled /dev/ram2

dmc -q remove --forget vm || fail "remove"
no_trace vm
rm -f /tmp/n.img
brd_unload
