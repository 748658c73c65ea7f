#!/bin/sh
# dmcombine move (issue 16): a volume copied to another device through a
# mirror while fio writes with verify on it and on another volume; after
# the switch the volume reads the same, its region start and the GPT are
# unchanged, the old device is let go (an image file's loop detached),
# and status reports the move once. Every refusal changes nothing;
# --abort and a new device failing mid-copy keep the old device.
. /tests/lib.sh
. /tests/tool.sh
need_module
modprobe dm-mirror || skip "no dm-mirror module"

brd_load 5 8192
image /tmp/c.img 8
dmc create vm a=/dev/ram0 b=/dev/ram1 c=/tmp/c.img || fail "create"
a_start=$(volume_field vm a start)
b_start=$(volume_field vm b start)
c_start=$(volume_field vm c start)
size=$(blockdev --getsz /dev/mapper/vm)
vol=16384
# The volume's bytes through the combined device, and the GPT's sectors.
region() {
	dd if=/dev/mapper/vm bs=1M skip=$(($1 / 2048)) count=8 iflag=direct 2>/dev/null | md5sum
}
whole() {
	dd if="$1" bs=1M count=8 iflag=direct 2>/dev/null | md5sum
}
gpt() {
	{ dd if=/dev/mapper/vm bs=512 count=2048 iflag=direct
	  dd if=/dev/mapper/vm bs=512 skip=$((size - 2048)) iflag=direct; } 2>/dev/null | md5sum
}
dd if=/dev/urandom of=/dev/mapper/vm bs=1M seek=$((a_start / 2048)) count=8 oflag=direct 2>/dev/null ||
	fail "fill a"
gpt_before=$(gpt)

# fio verify on a (moving), b and c while a moves to ram2.
fio --filename=/dev/mapper/vm --direct=1 --ioengine=libaio --iodepth=8 \
	--rw=randwrite --bs=4k --size=$((vol * 512)) --verify=crc32c --do_verify=1 \
	--loops=2 --randseed=45 --output=/tmp/fio.out \
	--name=a --offset=$((a_start * 512)) --name=b --offset=$((b_start * 512)) \
	--name=c --offset=$((c_start * 512)) &
fio_pid=$!
sleep 1
dmc move vm a /dev/ram2 2>/tmp/move.err || fail "move: $(cat /tmp/move.err)"
wait "$fio_pid" || { cat /tmp/fio.out; fail "fio verify failed through the move"; }
grep -q 'err= 0' /tmp/fio.out || { cat /tmp/fio.out; fail "fio saw errors"; }
grep -q 'vm: volume a moved to /dev/ram2' /tmp/move.err || fail "move said: $(cat /tmp/move.err)"
[ "$(volume_field vm a source)" = /dev/ram2 ] || fail "map: a on $(volume_field vm a source)"
[ "$(volume_field vm a start)" = "$a_start" ] || fail "a's start changed"
dmsetup table vm | grep -q " $(devnum /dev/ram2) " || fail "table: $(dmsetup table vm)"
! dmsetup info vm-move-a >/dev/null 2>&1 || fail "mirror left behind"
[ ! -e "$config_dir/.vm.json.move" ] || fail "move record left behind"
[ "$(gpt)" = "$gpt_before" ] || fail "the GPT changed"
dmc status vm >/tmp/status.out || fail "status"
grep -q '^move: volume a to /dev/ram2: finished' /tmp/status.out || fail "status: $(cat /tmp/status.out)"
dmc status vm | grep -q '^move:' && fail "the finished move reported twice"
echo "moved under fio verify: $(grep -o 'WRITE: bw=[^,]*' /tmp/fio.out | head -1)"

# No I/O: the volume byte for byte on the old device, the new one and the region.
before=$(region "$a_start")
dmc move vm a /dev/ram3 2>/tmp/move.err || fail "move back: $(cat /tmp/move.err)"
[ "$(region "$a_start")" = "$before" ] || fail "volume changed by the move"
# O_DIRECT: the host's cache of a device holds what blkid read before the copy.
[ "$(whole /dev/ram2)" = "$(whole /dev/ram3)" ] || fail "old and new device differ"
dmc status vm --json | jq -e '.move.ended.result == "finished" and .move.in_progress == null' \
	>/dev/null || fail "status --json: $(dmc status vm --json | jq .move)"

# An image file to a block device: its loop goes; a block device to a file: held.
stamp /dev/mapper/vm "$c_start" cdata
dmc -q move vm c /dev/ram4 || fail "move c to ram4"
[ -z "$(losetup -a)" ] || fail "old loop left: $(losetup -a)"
image /tmp/n.img 10
dmc -q move vm c /tmp/n.img || fail "move c to an image file"
[ "$(stamp_of /dev/mapper/vm "$c_start")" = cdata ] || fail "c lost its data"
[ "$(losetup -a | wc -l)" = 1 ] || fail "loops: $(losetup -a)"
[ "$(volume_field vm c identity_kind)" = file ] || fail "c not saved as a file: $(volume_field vm c identity_kind)"
dmc remove vm && dmc assemble vm || fail "assemble after the moves"
[ "$(stamp_of /dev/mapper/vm "$c_start")" = cdata ] || fail "c lost its data after assemble"
echo "image file to block device and back: loop released and attached"

# Refusals: one line, nothing changed.
refused() {
	what=$1
	shift
	cp "$config_dir/vm.json" /tmp/map.before
	table=$(dmsetup table vm)
	devices=$(dmsetup ls | sort)
	record=$(cat "$config_dir/.vm.json.move" 2>/dev/null || true)
	rc=0
	dmc move "$@" 2>/tmp/err || rc=$?
	[ "$rc" = 1 ] || fail "$what: exit $rc"
	[ "$(wc -l </tmp/err)" = 1 ] || fail "$what: $(cat /tmp/err)"
	cmp -s "$config_dir/vm.json" /tmp/map.before || fail "$what: map changed"
	[ "$(dmsetup table vm)" = "$table" ] || fail "$what: table changed"
	[ "$(dmsetup ls | sort)" = "$devices" ] || fail "$what: devices $(dmsetup ls)"
	[ "$(cat "$config_dir/.vm.json.move" 2>/dev/null || true)" = "$record" ] ||
		fail "$what: the move record changed"
	echo "refused ($what): $(cat /tmp/err)"
}
image /tmp/small.img 4
refused "smaller" vm a /tmp/small.img
image /tmp/4k.img 8
big=$(losetup --show -f -b 4096 /tmp/4k.img)
refused "larger block size" vm a "$big"
losetup -d "$big"
dmsetup create holder --table "0 8 linear /dev/ram0 0" || fail "dmsetup create holder"
refused "busy" vm a /dev/ram0
dmsetup remove holder
refused "volume of this map" vm a /dev/ram1
dmc -q create vm2 x=/dev/ram4 2>/dev/null && dmc -q remove vm2 || fail "vm2"
refused "volume of an inactive map" vm a /dev/ram4
dmc -q remove --forget vm2 || fail "forget vm2"
refused "own device" vm a /dev/ram3
refused "no such volume" vm z /dev/ram0
dmc -q drop vm b || fail "drop b"
refused "a hole" vm b /dev/ram0
refused "an ID with the source" vm a x=/dev/ram0

# A slow new device (2 s a write: 16 s for the 8 MiB in 1 MiB regions):
# a second move is refused, the map cannot change,
# --abort ends it on the old device.
dmsetup create slow --table "0 $vol delay /dev/ram0 0 0 /dev/ram0 0 2000" || fail "dmsetup create slow"
before=$(region "$a_start")
dmc move --background vm a /dev/mapper/slow 2>/tmp/err || fail "move --background: $(cat /tmp/err)"
dmc status vm | grep -q '^move: volume a to /dev/mapper/slow: copying' || fail "status: $(dmc status vm)"
refused "a second move" vm a /dev/ram1
dmc add vm d=/dev/ram1 2>/tmp/err && fail "add during a move"
grep -q 'being moved' /tmp/err || fail "add: $(cat /tmp/err)"
stamp /dev/mapper/vm "$a_start" during
dmc move --abort vm a 2>/tmp/err || fail "abort: $(cat /tmp/err)"
[ "$(stamp_of /dev/mapper/vm "$a_start")" = during ] || fail "abort lost a write"
[ "$(stamp_of /dev/ram3 0)" = during ] || fail "abort: old device missed a write"
dmsetup table vm | grep -q " $(devnum /dev/ram3) " || fail "abort: table $(dmsetup table vm)"
! dmsetup info vm-move-a >/dev/null 2>&1 || fail "abort left the mirror"
dmc status vm | grep -q '^move: volume a to /dev/mapper/slow: abandoned: aborted' ||
	fail "status after abort: $(dmc status vm)"
# SIGTERM (as Ctrl-C) ends a foreground move on the old device.
dmcombine --config-dir "$config_dir" move vm a /dev/mapper/slow 2>/tmp/err &
mover=$!
sleep 1
kill -TERM "$mover"
wait "$mover" && fail "a terminated move succeeded"
grep -q 'abandoned (interrupted)' /tmp/err || fail "SIGTERM: $(cat /tmp/err)"
dmsetup table vm | grep -q " $(devnum /dev/ram3) " || fail "SIGTERM: table $(dmsetup table vm)"
[ ! -e "$config_dir/.vm.json.move" ] || fail "SIGTERM: record left"
for try in 1 2 3 4 5 6 7 8 9 10; do
	dmsetup remove slow 2>/dev/null && break
	sleep 1
done
! dmsetup info slow >/dev/null 2>&1 || fail "the background mover kept the new device"
echo "second move refused, abort and SIGTERM kept the old device"

# The new device fails mid-copy: the move is abandoned, nothing is lost.
# The mirror copies one region at a time (dm-raid1's MAX_RECOVERY), each
# write held 3 s: the copy cannot finish before the swap a second later,
# however loaded the machine (with 1 s it sometimes did, and the move
# finished onto the device about to fail).
dmsetup create failing --table "0 $vol delay /dev/ram0 0 0 /dev/ram0 0 3000" || fail "dmsetup create failing"
stamp /dev/mapper/vm "$a_start" before-failure
before=$(region "$a_start")
dmc move --background vm a /dev/mapper/failing 2>/dev/null || fail "move --background"
sleep 1
dmsetup load failing --table "0 $vol error" && dmsetup resume failing || fail "dm-error swap"
for try in $(seq 60); do
	[ -e "$config_dir/.vm.json.move" ] || break
	sleep 1
done
[ ! -e "$config_dir/.vm.json.move" ] || fail "the move did not end on a failed device"
dmc status vm | grep -q '^move: volume a to /dev/mapper/failing: abandoned: the new device failed' ||
	fail "status after a failure: $(dmc status vm)"
[ "$(region "$a_start")" = "$before" ] || fail "data changed by a failed move"
dmsetup table vm | grep -q " $(devnum /dev/ram3) " || fail "failure: table $(dmsetup table vm)"
dmsetup remove failing || fail "remove failing"
echo "a new device failing mid-copy: abandoned, old device kept"

dmc remove --forget vm || fail "remove"
no_trace vm
rm -f /tmp/*.img
brd_unload
