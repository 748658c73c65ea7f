#!/bin/sh
# I/O to a hole fails with an I/O error, touches no member, and counts an
# error on the hole's region only; the regions around it keep working.
. /tests/lib.sh
. /tests/combine.sh
need_module

brd_load 1 4096
d=/dev/ram0
dmsetup create cmb --table "0 3072 combine 0 3 1024 $d 0 1024 - 0 1024 $d 1024" ||
	fail "table refused"
dmsetup message cmb 0 stats_reset
before=$(sed -n 1p "/sys/block/ram0/stat")

read_sectors /dev/mapper/cmb 1024 8 /tmp/x && fail "hole read succeeded"
dd if=/dev/zero of=/dev/mapper/cmb bs=4096 seek=128 count=1 oflag=direct \
	conv=notrunc 2>/dev/null && fail "hole write succeeded"
# A read of sectors 1016..1031 fails too: its part in the hole is killed.
dd if=/dev/mapper/cmb of=/tmp/x bs=8192 skip=$((1016 * 512)) count=1 \
	iflag=direct,skip_bytes 2>/dev/null && fail "read into the hole succeeded"

[ "$(status_counters cmb 1 | cut -d' ' -f5)" -ge 3 ] ||
	fail "hole errors not counted: $(dmsetup status cmb)"
[ "$(status_counters cmb 0 | cut -d' ' -f5)" = 0 ] ||
	fail "errors counted on a good region: $(dmsetup status cmb)"

after=$(sed -n 1p "/sys/block/ram0/stat")
# Only the first half of the straddling read may reach the member.
[ "$(echo "$after" | awk '{ print $5 }')" = "$(echo "$before" | awk '{ print $5 }')" ] ||
	fail "a hole write reached the member"
read_sectors /dev/mapper/cmb 0 8 /tmp/x || fail "region before the hole failed"
read_sectors /dev/mapper/cmb 2048 8 /tmp/x || fail "region after the hole failed"

dmsetup remove cmb
brd_unload
