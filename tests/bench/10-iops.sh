#!/bin/sh
# 4 KiB random reads and writes (QD32) and 128 KiB sequential reads over N
# regions of 1 MiB on one null_blk, four ways: the raw device, dm-linear with
# one line, dm-linear with one line per region, and combine.  The sequential
# reads start 64 KiB in, so that every 8th read crosses a region boundary.
. /tests/lib.sh
. /tests/combine.sh
. /tests/bench.sh
need_module

for n in $bench_counts; do
	linear1_and_combine "raw$n" "$n"
	linear_table /tmp/layout | dmsetup create linearN
	for config in raw linear1 linearN combine; do
		case $config in
		raw) dev=$raw ;;
		*) dev=/dev/mapper/$config ;;
		esac
		row randread "$n" "$config" "$(iops "$dev" randread 4k 32)" IOPS
		row randwrite "$n" "$config" "$(iops "$dev" randwrite 4k 32)" IOPS
		row seqread128k "$n" "$config" \
			"$(iops "$dev" read 128k 32 --offset=64k)" IOPS
	done
	dmsetup remove linearN
	linear1_and_combine_remove "raw$n"
done
