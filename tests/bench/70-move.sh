#!/bin/sh
# dmcombine move (issue 16): the copy rate of a 1 GiB volume between two
# null_blk devices against dd with O_DIRECT and 1 MiB blocks between the
# same two; and the 99th percentile of 4 KiB random reads (QD32) on
# another volume while the move runs, against the same reads without one.
. /tests/lib.sh
. /tests/combine.sh
. /tests/bench.sh
need_module
modprobe dm-mirror || skip "no dm-mirror module"

config_dir=$(mktemp -d)
src=$(nullb_create movesrc 1024 irqmode=0)
dst=$(nullb_create movedst 1024 irqmode=0)
other=$(nullb_create moveother 1024 irqmode=0)
mib=1024

# The guest's clock in milliseconds (instructions, under -icount).
now_ms() {
	awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime
}
# rate MS: MiB/s for $mib MiB in MS milliseconds.
rate() {
	echo $((mib * 1000 / $1))
}

# copy_rates CONFIG FROM TO: dd's rate, then the move's from FROM to TO.
copy_rates() {
	start=$(now_ms)
	dd if="$2" of="$3" bs=1M count=$mib iflag=direct oflag=direct 2>/dev/null || fail "dd"
	row move "$mib" "dd$1" "$(rate $(($(now_ms) - start)))" MiB/s
	start=$(now_ms)
	dmcombine -q --config-dir "$config_dir" move vm a "$3" || fail "move"
	row move "$mib" "move$1" "$(rate $(($(now_ms) - start)))" MiB/s
}
dmcombine -q --config-dir "$config_dir" create vm --layout concat a="$src" b="$other" 2>/dev/null ||
	fail "create"
copy_rates "" "$src" "$dst"
# Devices that take time, as disks do: 200 MB/s each (null_blk's mbps).
slowsrc=$(nullb_create moveslowsrc "$mib" irqmode=0 mbps=200)
slowdst=$(nullb_create moveslowdst "$mib" irqmode=0 mbps=200)
dmcombine -q --config-dir "$config_dir" move vm a "$slowsrc" || fail "move to $slowsrc"
copy_rates -200MBps "$slowsrc" "$slowdst"
dmcombine -q --config-dir "$config_dir" move vm a "$src" || fail "move back"

# p99 [move]: 4 KiB random read p99 (usec) on volume b, moving a meanwhile if asked.
p99() {
	fio --name=lat --filename=/dev/mapper/vm --direct=1 --ioengine=libaio \
		--iodepth=32 --rw=randread --bs=4k --offset=$((mib << 20)) --size=$((mib << 20)) \
		--randseed=42 --runtime=4 --time_based --output-format=json >/tmp/lat.json &
	fio_pid=$!
	if [ -n "${1:-}" ]; then
		sleep 1
		dmcombine -q --config-dir "$config_dir" move vm a "$1" || fail "move during fio"
	fi
	wait "$fio_pid" || fail "fio failed"
	jq '.jobs[0].read.clat_ns.percentile["99.000000"] / 1000 | floor' /tmp/lat.json
}
row move-latency $mib none "$(p99)" usec
row move-latency $mib moving "$(p99 "$dst")" usec

dmcombine -q --config-dir "$config_dir" remove --forget vm
nullb_remove movesrc
nullb_remove movedst
nullb_remove moveother
nullb_remove moveslowsrc
nullb_remove moveslowdst
