#!/bin/sh
# A guest powered off in the middle of a move (issue 16) and booted again
# on the same disks: scripts/vm/two-hosts.sh boots the suite's initramfs
# twice over the same image files, dmc.role=off then dmc.role=on. The
# registry lives on an ext4 disk "state" that also holds volume b's image
# file; volume a and the move's target are virtio disks, the target slowed
# by dm-delay so that the copy lasts. off: create, fill, move a in the
# background, write to both volumes during the copy and sync, then power
# off at once (sysrq o: no unmount, no sync, the mover still copying).
# on: assemble as after any boot: the move is abandoned on the old device,
# every byte and every synced write is there, the map and the live table
# agree, no mirror, record, other dm device or loop device is left; the
# move then runs again to the end. In the plain suite: SKIP.
. /tests/lib.sh
. /tests/tool.sh

role=$(sed -n 's/.*dmc\.role=\(off\|on\)\( .*\)*$/\1/p' /proc/cmdline)
[ -n "$role" ] || skip "needs a guest powered off and booted again: scripts/vm/two-hosts.sh (make vm-check) runs it"
need_module
modprobe dm-mirror || fail "no dm-mirror module"
modprobe dm-delay || fail "no dm-delay module"
virtio_disks 3
byid=/dev/disk/by-id
mkdir -p /state
mount -t ext4 $byid/virtio-state /state || fail "cannot mount the state disk"
config_dir=/state/dmcombine

# rest DEV SECTOR MIB: md5 of MIB MiB from SECTOR but its first 4 KiB
# (where the stamps go).
rest() {
	dd if="$1" bs=4096 skip=$(($2 / 8 + 1)) count=$(($3 * 256 - 1)) iflag=direct 2>/dev/null |
		md5sum | cut -c1-32
}

if [ "$role" = off ]; then
	mkdir -m 0700 $config_dir
	image /state/b.img 8
	dmc -q create vm --layout concat a=$byid/virtio-a b=/state/b.img || fail "create"
	a_start=$(volume_field vm a start)
	b_start=$(volume_field vm b start)
	dd if=/dev/urandom of=/dev/mapper/vm bs=1M seek=$((a_start / 2048)) count=32 oflag=direct \
		2>/tmp/err || fail "fill a at $a_start: $(cat /tmp/err): $(dmsetup table vm)"
	dd if=/dev/urandom of=/dev/mapper/vm bs=1M seek=$((b_start / 2048)) count=8 oflag=direct \
		2>/tmp/err || fail "fill b at $b_start: $(cat /tmp/err): $(dmsetup table vm)"
	echo "$(rest /dev/mapper/vm "$a_start" 32) $(rest /dev/mapper/vm "$b_start" 8)" >/state/sums
	sync
	# Two seconds a write on the target: each 1 MiB region (two 512 KiB
	# writes at once) takes that long to copy, the 32 MiB a minute, time
	# enough for the writes and the sync below on a loaded host.
	dmsetup create slow --table "0 $(blockdev --getsz $byid/virtio-new) delay $byid/virtio-new 0 2000" ||
		fail "dm-delay"
	dmc -q move --background vm a /dev/mapper/slow || fail "move"
	tries=0
	until dmc status vm | grep -q '^move: volume a .*: copying, [1-9][0-9]*\.'; do
		tries=$((tries + 1))
		[ $tries -lt 60 ] || fail "no progress: $(dmc status vm)"
		sleep 1
	done
	stamp /dev/mapper/vm "$a_start" off-a
	stamp /dev/mapper/vm "$b_start" off-b
	sync
	status=$(dmc status vm | grep '^move:')
	case $status in
	*"copying, "*) ;;
	*) fail "the copy ended before the power-off: $status" ;;
	esac
	# The harness reads this line: the guest gives no other answer.
	echo "DMC-POWER-OFF $status" >/dev/console
	echo o >/proc/sysrq-trigger
	sleep 60
	fail "still running 60 s after sysrq o"
fi

# As after any boot: nothing of vm is active, its map is saved.
[ "$(dmsetup ls)" = "No devices found" ] || fail "dm devices at boot: $(dmsetup ls)"
dmc assemble vm 2>/tmp/err || fail "assemble: $(cat /tmp/err)"
grep -q 'abandoned' /tmp/err || fail "assemble did not abandon the move: $(cat /tmp/err)"
[ "$(volume_field vm a source)" = $byid/virtio-a ] || fail "map has a on $(volume_field vm a source)"
dmsetup table vm | grep -q " $(devnum $byid/virtio-a) " || fail "table $(dmsetup table vm): a not on virtio-a"
dmc -q map vm >/dev/null || fail "the map and the live table disagree: $(dmsetup table vm)"
[ "$(dmsetup ls | wc -l)" = 1 ] || fail "dm devices besides vm: $(dmsetup ls)"
[ ! -e $config_dir/.vm.json.move ] || fail "the move's record is left"
loops_held
dmc status vm | grep -q '^move: volume a .*: abandoned' || fail "status: $(dmc status vm)"
a_start=$(volume_field vm a start)
b_start=$(volume_field vm b start)
[ "$(stamp_of /dev/mapper/vm "$a_start")" = off-a ] || fail "the write to a before the power-off is lost"
[ "$(stamp_of /dev/mapper/vm "$b_start")" = off-b ] || fail "the write to b before the power-off is lost"
[ "$(rest /dev/mapper/vm "$a_start" 32) $(rest /dev/mapper/vm "$b_start" 8)" = "$(cat /state/sums)" ] ||
	fail "data changed over the power-off"
echo "powered off mid-copy, booted again: move abandoned, a on its old device, no write lost"

# The move again, to the end.
dmc -q move vm a $byid/virtio-new || fail "move after the power-off"
[ "$(volume_field vm a source)" = $byid/virtio-new ] || fail "a not moved: $(volume_field vm a source)"
[ "$(stamp_of /dev/mapper/vm "$a_start")" = off-a ] || fail "the stamp did not move with a"
[ "$(rest /dev/mapper/vm "$a_start" 32)" = "$(cut -d' ' -f1 /state/sums)" ] || fail "a's data after the move"
dmc -q remove --forget vm || fail "remove"
no_trace vm
umount /state
