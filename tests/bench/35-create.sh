#!/bin/sh
# `dmcombine create` of N volumes (null_blk devices) against a plain
# `dmsetup create` of the same table, guest time.  At most 100 volumes:
# each is a device of its own.
. /tests/lib.sh
. /tests/combine.sh
. /tests/bench.sh
need_module

config_dir=$(mktemp -d)
# The tool's UUIDs come from getrandom(), which blocks once per boot until
# the kernel's CRNG is ready: about 1 s of guest time in a VM without a
# hardware RNG, nothing on a running host.  Wait for it before timing.
head -c 1 /dev/random >/dev/null
for n in 1 10 100; do
	i=0 volumes=
	while [ "$i" -lt "$n" ]; do
		volumes="$volumes $(nullb_create "vol$n-$i" 8 irqmode=0)"
		i=$((i + 1))
	done
	t0=$(uptime_cs)
	# shellcheck disable=SC2086 # one word per volume
	dmcombine -q --config-dir "$config_dir" create vm $volumes
	t1=$(uptime_cs)
	dmsetup table vm >/tmp/table
	dmcombine -q --config-dir "$config_dir" remove --forget vm
	t2=$(uptime_cs)
	dmsetup create vm /tmp/table
	t3=$(uptime_cs)
	dmsetup remove vm
	row create "$n" dmcombine "$(((t1 - t0) * 10))" ms
	row create "$n" dmsetup "$(((t3 - t2) * 10))" ms
	i=0
	while [ "$i" -lt "$n" ]; do
		nullb_remove "vol$n-$i"
		i=$((i + 1))
	done
done
