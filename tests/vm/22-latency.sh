#!/bin/sh
# The latency feature: per region, read and write completion-time sums and
# log2 histograms in microseconds after the ten counters of its
# regions_print line.  Every read and
# write counted lands in exactly one bucket (failed ones too), a member
# delayed by 100 ms lands at 2^15 us or more, stats_reset zeroes it all,
# and the TABLE status, with the feature after gpt's words, loads again.
. /tests/lib.sh
. /tests/combine.sh
need_module

words=$((10 + 2 + 2 * 22))	# per region, include/dm-combine.h

# latency_summary NAME REGION: "<reads> <writes+discards+write_zeroes>
# <read bucket sum> <write bucket sum> <read_usecs> <write_usecs>
# <lowest non-empty read bucket or -1>" from the region's regions_print line.
latency_summary() {
	dmsetup message "$1" 0 regions_print "$2" 1 | awk '{
		i = 0
		lowest = -1
		for (b = 0; b < 22; b++) {
			rb += $(i + 13 + b); wb += $(i + 35 + b)
			if (lowest < 0 && $(i + 13 + b) > 0) lowest = b
		}
		print $(i + 1), $(i + 2) + $(i + 6) + $(i + 8), rb, wb,
		      $(i + 11), $(i + 12), lowest }'
}

# Members that take discards, or the combined device would not.
a=$(nullb_create lata 16 memory_backed=1 discard=1)
d=$(nullb_create latd 16 memory_backed=1 discard=1)
dmsetup create slow --table "0 4096 delay $d 0 100" || fail "dm-delay refused"
dmsetup create cmb --table "0 3072 combine 1 latency 3 1024 $a 0 1024 - 0 1024 /dev/mapper/slow 0" ||
	fail "latency table refused"
[ "$(dmsetup message cmb 0 regions_print | wc -lw | tr -s ' ')" = " 3 $((3 * words))" ] ||
	fail "regions_print has $(dmsetup message cmb 0 regions_print | wc -lw) lines and words, want 3 $((3 * words))"

read_sectors /dev/mapper/cmb 0 24 /tmp/x || fail "read failed"	# 3 reads
dd if=/dev/zero of=/dev/mapper/cmb bs=4096 seek=1 count=2 oflag=direct \
	conv=notrunc 2>/dev/null || fail "write failed"		# 2 writes
# -f: no probe, which would read the hole.
blkdiscard -f -o 0 -l $((512 * 512)) /dev/mapper/cmb || fail "blkdiscard failed"
read_sectors /dev/mapper/cmb 1024 8 /tmp/x && fail "hole read"
dd if=/dev/zero of=/dev/mapper/cmb bs=4096 seek=128 count=1 oflag=direct \
	conv=notrunc 2>/dev/null && fail "hole write"
read_sectors /dev/mapper/cmb 2048 16 /tmp/x || fail "slow read failed"	# 2 reads
dd if=/dev/zero of=/dev/mapper/cmb bs=4096 seek=256 count=1 oflag=direct \
	conv=notrunc 2>/dev/null || fail "slow write failed"

set -- $(latency_summary cmb 0)
[ "$1 $2" = "3 3" ] && [ "$3 $4" = "3 3" ] ||
	fail "region 0: $* (reads, writes, their bucket sums)"
set -- $(latency_summary cmb 1)
[ "$1 $2 $3 $4" = "1 1 1 1" ] || fail "hole: $*"
set -- $(latency_summary cmb 2)
[ "$1 $2 $3 $4" = "2 1 2 1" ] || fail "delayed region: $*"
# dm-delay counts its 100 ms in jiffies from the tick before the bio, and
# a TCG guest's ticks drift from its clock (6.12 gave a 20 ms delay as
# 14.8 ms): 2^15 us (bucket 15) leaves room for both.
[ "$7" -ge 15 ] && [ "$5" -ge 65536 ] && [ "$6" -ge 32768 ] ||
	fail "100 ms reads and write: $* (lowest read bucket, usecs)"
echo "histograms add up to the counts; 100 ms lands in bucket $7"

dmsetup message cmb 0 stats_reset || fail "stats_reset refused"
[ "$(dmsetup status cmb)" = "0 3072 combine 3 0 0 0 0" ] ||
	fail "after stats_reset: $(dmsetup status cmb)"
[ "$(dmsetup message cmb 0 regions_print | tr -d ' 0\n')" = "" ] ||
	fail "after stats_reset: $(dmsetup message cmb 0 regions_print)"

# The printed table reloads to the same device, with gpt first.
roundtrip() {
	dmsetup table cmb >/tmp/table
	dmsetup remove cmb
	dmsetup create cmb /tmp/table || fail "printed table refused: $(cat /tmp/table)"
	[ "$(dmsetup table cmb)" = "$(cat /tmp/table)" ] ||
		fail "table changed: $(dmsetup table cmb) vs $(cat /tmp/table)"
}
roundtrip
type=0fc63daf-8483-4772-8e79-3d69d8477de4
disk=5d1b7a6e-0c4f-4a57-9c2e-00000000d15c
guid=a0b1c2d3-e4f5-4a6b-8c7d-00000000000a
dmsetup remove cmb
dmsetup create cmb --table "0 5120 combine 4 LATENCY gpt 512 $disk 3 2048 gpt 0 1024 $d 0 1 $type $guid vol 2048 gpt 0" ||
	fail "latency before gpt refused"
case $(dmsetup table cmb) in
"0 5120 combine 4 gpt 512 $disk latency 3 "*) ;;
*) fail "TABLE: $(dmsetup table cmb)" ;;
esac
roundtrip
read_sectors /dev/mapper/cmb 0 8 /tmp/x || fail "GPT read failed"
set -- $(latency_summary cmb 0)
[ "$1 $3" = "1 1" ] || fail "GPT area read: $*"
dmsetup remove cmb
dmsetup create cmb --table "0 1024 combine 2 latency latency 1 1024 $d 0" 2>/dev/null &&
	fail "duplicate latency accepted"
dmsetup create cmb --table "0 1024 combine 2 latency 1 1 1024 $d 0" 2>/dev/null &&
	fail "latency with a parameter accepted"
dmsetup remove slow
nullb_remove latd
nullb_remove lata
