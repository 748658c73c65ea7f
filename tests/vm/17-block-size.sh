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

# Regions that start at different offsets modulo the physical block size
# (4096 bytes over 512-byte sectors) make the device as misaligned as
# dm-linear with a line per region makes it, and aligned ones as aligned.
sd=$(scsi_debug_load dev_size_mb=8 physblk_exp=3)
for offsets in "0 8" "0 1" "1 9" "8 3" "2 4" "4 0"; do
	set -- $offsets
	dmsetup create cmb --table "0 16 combine 0 2 8 $sd $1 8 $sd $((64 + $2))" ||
		fail "combine over $sd at $offsets refused"
	printf '0 8 linear %s %s\n8 8 linear %s %s\n' "$sd" "$1" "$sd" "$((64 + $2))" |
		dmsetup create lin || fail "dm-linear over $sd at $offsets refused"
	c=$(dmsetup info -c --noheadings -o blkdevname cmb)
	l=$(dmsetup info -c --noheadings -o blkdevname lin)
	for attr in alignment_offset queue/physical_block_size queue/minimum_io_size; do
		[ "$(cat /sys/block/$c/$attr)" = "$(cat /sys/block/$l/$attr)" ] ||
			fail "offsets $offsets: $attr $(cat /sys/block/$c/$attr), dm-linear $(cat /sys/block/$l/$attr)"
	done
	echo "offsets $offsets: alignment_offset $(cat /sys/block/$c/alignment_offset) as dm-linear's"
	dmsetup remove cmb
	dmsetup remove lin
done
rmmod scsi_debug
