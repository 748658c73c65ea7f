#!/bin/sh
# A flush reaches every distinct member exactly once, however many regions
# each member has (a dm-linear table sends one flush per line).
. /tests/lib.sh
. /tests/combine.sh
need_module

a=$(nullb_create flusha 64 memory_backed=1 cache_size=16)
b=$(nullb_create flushb 64 memory_backed=1 cache_size=16)
grep -q 'write back' "/sys/block/${a#/dev/}/queue/write_cache" ||
	skip "null_blk advertises no write-back cache"

# 10 regions alternating between the two members, and a hole.
i=0
: >/tmp/layout
while [ "$i" -lt 10 ]; do
	echo "2048 $a $((i * 2048))" >>/tmp/layout
	echo "2048 $b $((i * 2048))" >>/tmp/layout
	i=$((i + 2))
done
echo "2048 - 0" >>/tmp/layout

# flushes_per_fsync DM: flushes each member sees for one fsync of DM.
flushes_per_fsync() {
	fa=$(flush_count "$a")
	fb=$(flush_count "$b")
	sync "$1" || fail "fsync of $1 failed"
	echo "$(($(flush_count "$a") - fa)) $(($(flush_count "$b") - fb))"
}

combine_table /tmp/layout | dmsetup create cmb || fail "combine refused"
linear_table /tmp/layout | dmsetup create lin || fail "linear refused"
for round in 1 2 3; do
	got=$(flushes_per_fsync /dev/mapper/cmb)
	[ "$got" = "1 1" ] || fail "combine fsync $round: flushes per member $got, want 1 1"
done
echo "combine: 1 flush per member per fsync"
echo "dm-linear with 11 lines: $(flushes_per_fsync /dev/mapper/lin) flushes per member"

dmsetup remove cmb
dmsetup remove lin
nullb_remove flusha
nullb_remove flushb
