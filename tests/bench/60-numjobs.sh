#!/bin/sh
# Two CPUs writing and reading one volume at once (fio numjobs=2, 4 KiB
# random, QD16 each), combine against dm-linear with one line: what the
# counters one region shares between CPUs cost.  Needs two vCPUs
# (scripts/vm/bench.sh's second pass); prints nothing on one.
. /tests/lib.sh
. /tests/combine.sh
. /tests/bench.sh
need_module

[ "$(nproc)" -ge 2 ] || exit 0
d=$(nullb_create numjobs 1024 irqmode=0 submit_queues=2)
sectors=$(sectors_of "$d")
dmsetup create linear1 --table "0 $sectors linear $d 0"
# One region: both jobs count on the same counters.
dmsetup create combine --table "0 $sectors combine 0 1 $sectors $d 0"
# Wall-clock figures on a shared host: three rounds, the configurations
# taking turns, so that a slow moment of the host hits both.
for round in 1 2 3; do
	for rw in randread randwrite; do
		for config in linear1 combine; do
			row "numjobs2-$rw" "$round" "$config" \
				"$(iops "/dev/mapper/$config" "$rw" 4k 16 \
					--numjobs=2 --group_reporting)" IOPS
		done
	done
done
dmsetup remove combine
dmsetup remove linear1
nullb_remove numjobs
