#!/bin/sh
# Per-region counters count each region's own I/O and errors, stats_reset
# clears them, unknown messages are refused, and the table that `dmsetup
# table` prints loads to the same device.
. /tests/lib.sh
. /tests/combine.sh
need_module

brd_load 1 4096
d=/dev/ram0
# A member that fails every I/O: errors must land on its region only.
dmsetup create failing --table "0 2048 error" || fail "error target"
f=/dev/mapper/failing
dmsetup create cmb --table "0 3072 combine 0 3 1024 $d 0 1024 - 0 1024 $f 0" ||
	fail "table refused"
dmsetup message cmb 0 stats_reset || fail "stats_reset refused"

read_sectors /dev/mapper/cmb 0 24 /tmp/x || fail "read failed"	# 3 reads
dd if=/dev/zero of=/dev/mapper/cmb bs=4096 seek=1 count=2 oflag=direct \
	conv=notrunc 2>/dev/null || fail "write failed"	# 2 writes
read_sectors /dev/mapper/cmb 2048 8 /tmp/x && fail "failing member read"
dd if=/dev/zero of=/dev/mapper/cmb bs=4096 seek=256 count=1 oflag=direct \
	conv=notrunc 2>/dev/null && fail "failing member write"

[ "$(status_counters cmb 0)" = "3 2 24 16 0" ] ||
	fail "region 0 counters: $(status_counters cmb 0), want 3 2 24 16 0"
[ "$(status_counters cmb 1)" = "0 0 0 0 0" ] ||
	fail "hole counters: $(status_counters cmb 1), want zeros"
set -- $(status_counters cmb 2)
[ "$2" -ge 1 ] && [ "$5" -ge 2 ] && [ "$5" -le $(($1 + $2)) ] ||
	fail "failing region counters: $*"

dmsetup message cmb 0 stats_reset || fail "stats_reset refused"
[ "$(dmsetup status cmb)" = "0 3072 combine 3 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0" ] ||
	fail "after stats_reset: $(dmsetup status cmb)"
dmsetup message cmb 0 no_such_message 2>/dev/null && fail "bad message accepted"
dmsetup message cmb 0 stats_reset extra 2>/dev/null && fail "bad message accepted"

# The printed table reloads to the same device.
dmsetup table cmb >/tmp/table
dmsetup remove cmb
dmsetup create cmb2 /tmp/table || fail "printed table refused"
[ "$(dmsetup table cmb2)" = "$(cat /tmp/table)" ] ||
	fail "table changed: $(dmsetup table cmb2) vs $(cat /tmp/table)"
dmsetup remove cmb2
dmsetup remove failing
brd_unload
