#!/bin/sh
# Flush-heavy writes (4 KiB, QD1, fsync after each) with N regions of 1 MiB
# dealt in turn to two null_blk devices with a volatile write cache: one of
# them raw, dm-linear with one line per region, and combine.
. /tests/lib.sh
. /tests/combine.sh
. /tests/bench.sh
need_module

for n in $bench_counts; do
	mib=$(((n + 1) / 2))
	a=$(nullb_create "flusha$n" "$mib" irqmode=0 memory_backed=1 cache_size=64)
	b=$(nullb_create "flushb$n" "$mib" irqmode=0 memory_backed=1 cache_size=64)
	regions_layout "$n" 1 "$a" "$b" >/tmp/layout
	linear_table /tmp/layout | dmsetup create linearN
	combine_table /tmp/layout | dmsetup create combine
	row fsync "$n" raw "$(iops "$a" randwrite 4k 1 --fsync=1)" IOPS
	row fsync "$n" linearN "$(iops /dev/mapper/linearN randwrite 4k 1 --fsync=1)" IOPS
	row fsync "$n" combine "$(iops /dev/mapper/combine randwrite 4k 1 --fsync=1)" IOPS
	dmsetup remove combine
	dmsetup remove linearN
	nullb_remove "flusha$n"
	nullb_remove "flushb$n"
done
