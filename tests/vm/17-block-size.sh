#!/bin/sh
# A 4096-byte-sector member gives the combined device 4096-byte logical
# blocks and forces every region onto 4096-byte boundaries.
. /tests/lib.sh
. /tests/combine.sh
need_module

d=$(nullb_create bs512 64 memory_backed=1)
d4=$(nullb_create bs4k 64 memory_backed=1 blocksize=4096)

dmsetup create bad --table "0 2048 combine 0 2 1020 $d 0 1028 $d4 0" 2>/dev/null &&
	fail "unaligned length accepted"
dmsetup create bad --table "0 2048 combine 0 2 1024 $d 4 1024 $d4 0" 2>/dev/null &&
	fail "unaligned offset accepted"
dmsetup info bad >/dev/null 2>&1 && fail "refused device left behind"

dmsetup create cmb --table "0 2048 combine 0 2 1024 $d 8 1024 $d4 16" ||
	fail "aligned table refused"
[ "$(blockdev --getss /dev/mapper/cmb)" = 4096 ] ||
	fail "logical block size $(blockdev --getss /dev/mapper/cmb), want 4096"

dd if=/dev/urandom of=/tmp/data bs=4096 count=2 2>/dev/null
write_sectors /dev/mapper/cmb 1016 /tmp/data || fail "4 KiB write failed"
read_sectors "$d" 1024 8 /tmp/a || fail "read of 512 member failed"
read_sectors "$d4" 16 8 /tmp/b || fail "read of 4k member failed"
cat /tmp/a /tmp/b | cmp -s - /tmp/data || fail "data not at member offsets"
echo "4096-byte blocks: aligned table loads, unaligned ones refused"

dmsetup remove cmb
nullb_remove bs512
nullb_remove bs4k
