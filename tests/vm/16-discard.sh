#!/bin/sh
# A discard across region boundaries reaches each member, clipped to its
# regions, and only there.
. /tests/lib.sh
. /tests/combine.sh
need_module

a=$(nullb_create discarda 64 memory_backed=1 discard=1)
b=$(nullb_create discardb 64 memory_backed=1 discard=1)
[ "$(cat "/sys/block/${a#/dev/}/queue/discard_max_bytes")" -gt 0 ] ||
	skip "null_blk does not take discards"

# a: 2048 sectors, b: 1024, a: 2048; discard sectors 1024..4096.
dmsetup create cmb --table "0 5120 combine 0 3 2048 $a 0 1024 $b 8192 2048 $a 4096" ||
	fail "table refused"
da=$(discard_sectors "$a")
db=$(discard_sectors "$b")
blkdiscard -o $((1024 * 512)) -l $((3072 * 512)) /dev/mapper/cmb ||
	fail "blkdiscard failed"
got_a=$(($(discard_sectors "$a") - da))
got_b=$(($(discard_sectors "$b") - db))
# a gets 1024 (end of region 0) + 1024 (start of region 2); b all 1024.
[ "$got_a" = 2048 ] && [ "$got_b" = 1024 ] ||
	fail "discarded sectors: a $got_a (want 2048), b $got_b (want 1024)"
echo "discard split: a $got_a, b $got_b sectors"

# Write zeroes pass through as well (blkdiscard -z issues them).
if blkdiscard -z -o 0 -l $((5120 * 512)) /dev/mapper/cmb 2>/dev/null; then
	read_sectors /dev/mapper/cmb 0 5120 /tmp/z || fail "read after zeroing"
	[ "$(tr -d '\0' </tmp/z | wc -c)" = 0 ] || fail "write zeroes left data"
	echo "write zeroes: 5120 sectors read back as zero"
fi
dmsetup remove cmb
nullb_remove discarda
nullb_remove discardb
