#!/bin/sh
# The latency feature's cost per I/O: 4 KiB random reads and writes (QD32)
# over N regions of 1 MiB on one null_blk, through dm-linear with one line,
# combine without the feature and combine with it.  Under -icount a guest
# second is a fixed number of instructions, so IOPS ratios are ratios of
# instructions per I/O.
. /tests/lib.sh
. /tests/combine.sh
. /tests/bench.sh
need_module

for n in $bench_counts; do
	linear1_and_combine "lat$n" "$n"
	combine_table /tmp/layout | sed 's/ combine 0 / combine 1 latency /' |
		dmsetup create latency
	dmsetup table latency | grep -q ' combine 1 latency ' ||
		fail "no latency feature in $(dmsetup table latency | cut -c1-80)"
	for config in linear1 combine latency; do
		row lat-randread "$n" "$config" \
			"$(iops /dev/mapper/$config randread 4k 32)" IOPS
		row lat-randwrite "$n" "$config" \
			"$(iops /dev/mapper/$config randwrite 4k 32)" IOPS
	done
	# The histograms saw every I/O fio made.
	dmsetup status latency | awk '{ n = $4; if (n != 1) exit
		for (b = 0; b < 44; b++) s += $(17 + b)
		if (s != $5 + $6 + $10 + $12) { print "BAD", s, $5 + $6; exit 1 } }' ||
		fail "histograms do not add up: $(dmsetup status latency | cut -c1-300)"
	dmsetup remove latency
	linear1_and_combine_remove "lat$n"
done
