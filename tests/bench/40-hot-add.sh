#!/bin/sh
# The longest I/O latency fio sees on a volume while `dmcombine add` appends
# ten volumes one by one (each a table reload and resume), against the same
# workload with no add.
. /tests/lib.sh
. /tests/combine.sh
. /tests/bench.sh
need_module

config_dir=$(mktemp -d)
i=0
while [ "$i" -lt 12 ]; do
	nullb_create "hot$i" 64 irqmode=0 >/dev/null
	i=$((i + 1))
done
dmcombine -q --config-dir "$config_dir" create vm /dev/hot0 /dev/hot1

# max_latency [add]: fio's longest completion latency (usec) of 4 KiB
# random reads at QD32 on the first volume, adding volumes meanwhile if
# asked; 8 guest seconds leave room for all ten adds.
max_latency() {
	fio --name=lat --filename=/dev/mapper/vm --direct=1 --ioengine=libaio \
		--iodepth=32 --rw=randread --bs=4k --size=64m --randseed=42 \
		--runtime=8 --time_based --minimal >/tmp/lat.terse &
	fio_pid=$!
	if [ -n "${1:-}" ]; then
		sleep 1
		i=2
		while [ "$i" -lt 12 ]; do
			dmcombine -q --config-dir "$config_dir" add vm "/dev/hot$i"
			i=$((i + 1))
		done
	fi
	wait "$fio_pid" || fail "fio failed"
	# Terse format v3: field 39 is the longest total read latency in usec.
	awk -F';' '{ print $39 }' /tmp/lat.terse
}

row hotadd 10 none "$(max_latency)" usec
row hotadd 10 adding "$(max_latency add)" usec
dmcombine -q --config-dir "$config_dir" remove --forget vm
i=0
while [ "$i" -lt 12 ]; do
	nullb_remove "hot$i"
	i=$((i + 1))
done
