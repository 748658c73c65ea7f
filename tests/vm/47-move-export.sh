#!/bin/sh
# A move while the device is exported over tcm_loop: the initiator's SCSI
# disk keeps reading and writing throughout (fio verify on the moving
# volume's part of the disk, a checksum loop over another volume's), and
# after the switch the disk shows the same bytes as the combined device.
. /tests/lib.sh
. /tests/tool.sh
. /tests/export.sh
need_module
modprobe dm-mirror || skip "no dm-mirror module"

lio_start
brd_load 3 8192
dmc -q create vm a=/dev/ram0 b=/dev/ram1 2>/dev/null || fail "create"
a_start=$(volume_field vm a start)
b_start=$(volume_field vm b start)
vol=16384
dd if=/dev/urandom of=/dev/mapper/vm bs=1M seek=$((b_start / 2048)) count=8 oflag=direct 2>/dev/null ||
	fail "fill b"
disk=$(dmc export vm) || fail "export"
b_sum=$(md5_range "$disk" "$b_start" "$vol")

fio --name=a --filename="$disk" --direct=1 --ioengine=libaio --iodepth=8 \
	--rw=randwrite --bs=4k --offset=$((a_start * 512)) --size=$((vol * 512)) \
	--verify=crc32c --do_verify=1 --loops=2 --randseed=47 --output=/tmp/fio.out &
fio_pid=$!
(
	while kill -0 "$fio_pid" 2>/dev/null; do
		[ "$(md5_range "$disk" "$b_start" "$vol")" = "$b_sum" ] || { echo bad; exit 1; }
	done
) >/tmp/reads.out &
reads_pid=$!
sleep 1
dmc move vm a /dev/ram2 2>/tmp/move.err || fail "move while exported: $(cat /tmp/move.err)"
wait "$fio_pid" || {
	# Where each bad block's bytes are: the disk, the old and the new device.
	grep verify /tmp/fio.out
	for off in $(sed -n 's/.*bad magic.* offset \([0-9]*\),.*/\1/p' /tmp/fio.out); do
		rel=$((off / 512 - a_start))
		echo "offset $off: disk $(dd if="$disk" bs=4096 skip=$((off / 4096)) count=1 iflag=direct 2>/dev/null | od -An -tx1 | head -1)"
		echo "  ram0 $(dd if=/dev/ram0 bs=4096 skip=$((rel / 8)) count=1 iflag=direct 2>/dev/null | od -An -tx1 | head -1)"
		echo "  ram2 $(dd if=/dev/ram2 bs=4096 skip=$((rel / 8)) count=1 iflag=direct 2>/dev/null | od -An -tx1 | head -1)"
	done
	fail "fio verify through the SCSI disk failed"
}
grep -q 'err= 0' /tmp/fio.out || { cat /tmp/fio.out; fail "fio saw errors"; }
wait "$reads_pid" || fail "reads of volume b through the SCSI disk changed"
size=$(sectors_of /dev/mapper/vm)
[ "$(md5_range "$disk" 0 "$size")" = "$(md5_range /dev/mapper/vm 0 "$size")" ] ||
	fail "the SCSI disk and the combined device differ after the move"
[ "$(volume_field vm a source)" = /dev/ram2 ] || fail "a on $(volume_field vm a source)"
echo "moved while exported: $(grep -o 'WRITE: bw=[^,]*' /tmp/fio.out)"

dmc -q unexport vm || fail "unexport"
dmc -q remove --forget vm || fail "remove"
no_trace vm
lio_stop tcm_loop
brd_unload
