#!/bin/sh
# One fsync reaching 1,000 distinct members: 1,000 small dm-linear devices
# over one null_blk with a volatile write cache, joined by dm-linear with
# one line each and by combine (4 KiB writes, QD1, fsync after each).
# dm-linear sends one flush per line, combine one per member: here both
# 1,000, so this measures the cost of so many clones, not a saving.
. /tests/lib.sh
. /tests/combine.sh
. /tests/bench.sh
need_module

n=1000
d=$(nullb_create flushm "$n" irqmode=0 memory_backed=1 cache_size=64)
spec= i=0
while [ $i -lt $n ]; do
	spec="$spec${spec:+;}m$i,,,rw,0 2048 linear $d $((i * 2048))"
	i=$((i + 1))
done
dmsetup create --concise "$spec" || fail "cannot create $n members"
members= i=0
while [ $i -lt $n ]; do
	members="$members $(devnum /dev/mapper/m$i)"
	i=$((i + 1))
done
# shellcheck disable=SC2086 # one word per member
regions_layout "$n" 1 $members >/tmp/layout
linear_table /tmp/layout | dmsetup create linearN
combine_table /tmp/layout | dmsetup create combine
# A few fsyncs a second: fio's whole IOPS would round them away, so the
# rate comes from the writes done (terse field 47, KiB) and the time.
for config in linearN combine; do
	iops "/dev/mapper/$config" randwrite 4k 1 --fsync=1 >/dev/null
	row fsync-members "$n" "$config" \
		"$(awk -F';' '{ printf "%.2f", $47 / 4 / ($50 / 1000) }' /tmp/fio.terse)" IOPS
done
dmsetup remove combine
dmsetup remove linearN
i=0
while [ $i -lt $n ]; do
	dmsetup remove "m$i"
	i=$((i + 1))
done
nullb_remove flushm
