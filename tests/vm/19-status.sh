#!/bin/sh
# Per-region counters count each region's own I/O and errors, regions_print
# gives them by range, INFO status sums up the failures, stats_reset clears
# them, unknown messages are refused, and the table that `dmsetup
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

[ "$(status_counters cmb 0)" = "3 2 24 16 0 0 0 0 0 0" ] ||
	fail "region 0 counters: $(status_counters cmb 0), want 3 2 24 16 0 0 0 0 0 0"
[ "$(status_counters cmb 1)" = "0 0 0 0 0 0 0 0 0 0" ] ||
	fail "hole counters: $(status_counters cmb 1), want zeros"
set -- $(status_counters cmb 2)
[ "$2" -ge 1 ] && [ "$5" -ge 2 ] && [ "$5" -le $(($1 + $2)) ] ||
	fail "failing region counters: $*"

# INFO status: regions, failing regions, their errors, failing members,
# their failed flushes; only region 2 failed.
errors=$5
[ "$(dmsetup status cmb)" = "0 3072 combine 3 1 $errors 0 0" ] ||
	fail "summary: $(dmsetup status cmb), want 3 regions, 1 failing with $errors errors"

# regions_print ranges, as dm-stats' @stats_print: start and count, count 0
# up to the last region, nothing past it.
[ "$(dmsetup message cmb 0 regions_print | wc -l)" = 3 ] ||
	fail "regions_print: $(dmsetup message cmb 0 regions_print)"
[ "$(dmsetup message cmb 0 regions_print 1 1)" = "0 0 0 0 0 0 0 0 0 0" ] ||
	fail "regions_print 1 1: $(dmsetup message cmb 0 regions_print 1 1)"
[ "$(dmsetup message cmb 0 regions_print 1 0 | wc -l)" = 2 ] ||
	fail "regions_print 1 0: $(dmsetup message cmb 0 regions_print 1 0)"
[ "$(dmsetup message cmb 0 regions_print 1 5 | wc -l)" = 2 ] ||
	fail "regions_print 1 5: $(dmsetup message cmb 0 regions_print 1 5)"
[ -z "$(dmsetup message cmb 0 regions_print 3 1)" ] ||
	fail "regions_print past the end: $(dmsetup message cmb 0 regions_print 3 1)"
for args in "1" "x 1" "1 -1" "1 2 3" "4294967296 1"; do
	# shellcheck disable=SC2086 # the words are the message's
	dmsetup message cmb 0 regions_print $args 2>/dev/null &&
		fail "regions_print $args accepted"
done

dmsetup message cmb 0 stats_reset || fail "stats_reset refused"
[ "$(dmsetup status cmb)" = "0 3072 combine 3 0 0 0 0" ] ||
	fail "after stats_reset: $(dmsetup status cmb)"
zeros="0 0 0 0 0 0 0 0 0 0"
[ "$(dmsetup message cmb 0 regions_print | tr '\n' /)" = "$zeros/$zeros/$zeros/" ] ||
	fail "after stats_reset: $(dmsetup message cmb 0 regions_print)"
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

# Discards and write-zeroes are counted apart from writes.
a=$(nullb_create statsa 16 memory_backed=1 discard=1)
dmsetup create cmb --table "0 4096 combine 0 2 2048 $a 0 2048 $a 2048" ||
	fail "table refused"
blkdiscard -o 0 -l $((3072 * 512)) /dev/mapper/cmb || fail "blkdiscard failed"
[ "$(status_counters cmb 0 | cut -d' ' -f2,4,6,7)" = "0 0 1 2048" ] &&
	[ "$(status_counters cmb 1 | cut -d' ' -f2,4,6,7)" = "0 0 1 1024" ] ||
	fail "discard counters: $(dmsetup status cmb)"
# Write zeroes reach the target where the member takes them; otherwise the
# block layer writes zero pages, which count as writes.
dmsetup message cmb 0 stats_reset
blkdiscard -z -o 0 -l $((2048 * 512)) /dev/mapper/cmb || fail "zeroing failed"
set -- $(status_counters cmb 0)
if [ "$(cat /sys/block/"${a#/dev/}"/queue/write_zeroes_max_bytes)" -gt 0 ]; then
	[ "$4 $9" = "0 2048" ] || fail "write zeroes counters: $*"
else
	[ "$4 $9" = "2048 0" ] || fail "zero pages counters: $*"
fi
echo "discards and write-zeroes counted apart from writes: $*"
dmsetup remove cmb

# A failed flush counts on every volume of its member: the member fails
# writes, flushes included (dm-flakey down all the time), over a device
# with a volatile cache so that flushes reach it.
c=$(nullb_create statsc 16 memory_backed=1 cache_size=16)
g=$(nullb_create statsg 16 memory_backed=1 cache_size=16)
dmsetup create flaky --table "0 32768 flakey $c 0 0 1 1 error_writes" ||
	fail "flakey refused"
dmsetup create cmb --table "0 4096 combine 0 4 1024 /dev/mapper/flaky 0 1024 - 0 1024 /dev/mapper/flaky 1024 1024 $g 0" ||
	fail "table refused"
dd if=/dev/null of=/dev/mapper/cmb conv=fsync,notrunc 2>/dev/null &&
	fail "flush through a failing member succeeded"
for r in 0 2; do
	[ "$(status_counters cmb $r | cut -d' ' -f10)" -ge 1 ] ||
		fail "flush error not on region $r: $(dmsetup status cmb)"
done
for r in 1 3; do
	[ "$(status_counters cmb $r | cut -d' ' -f10)" = 0 ] ||
		fail "flush error on region $r: $(dmsetup status cmb)"
done
# The summary counts each failed flush once, on the one failing member.
set -- $(dmsetup status cmb)
[ "$7" = 1 ] && [ "$8" = "$(status_counters cmb 0 | cut -d' ' -f10)" ] ||
	fail "summary of failed flushes: $*"
dmsetup message cmb 0 stats_reset
[ "$(status_counters cmb 0 | cut -d' ' -f10)" = 0 ] ||
	fail "flush errors survive stats_reset: $(dmsetup status cmb)"
[ "$(dmsetup status cmb | cut -d' ' -f4-)" = "4 0 0 0 0" ] ||
	fail "summary after stats_reset: $(dmsetup status cmb)"
echo "failed flush counted on the failing member's volumes"
dmsetup remove cmb
dmsetup remove flaky
nullb_remove statsc
nullb_remove statsg
nullb_remove statsa
