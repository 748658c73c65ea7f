#!/bin/sh
# dmcombine move (issue 16): the copy rate of a 1 GiB volume between two
# null_blk devices against dd with O_DIRECT and 1 MiB blocks between the
# same two, also with both devices limited to 50 MB/s; and the 99th
# percentile of 4 KiB random reads (QD32) on another volume while the
# move runs, and on the moving volume itself, against the same reads
# without a move.
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

# copy_rates CONFIG NAME FROM TO: dd's rate from FROM to TO, then the
# move's of NAME's volume a, which is on FROM, to TO.
copy_rates() {
	start=$(now_ms)
	dd if="$3" of="$4" bs=1M count=$mib iflag=direct oflag=direct 2>/dev/null || fail "dd"
	row move "$mib" "dd$1" "$(rate $(($(now_ms) - start)))" MiB/s
	start=$(now_ms)
	dmcombine -q --config-dir "$config_dir" move "$2" a "$4" || fail "move"
	row move "$mib" "move$1" "$(rate $(($(now_ms) - start)))" MiB/s
}
dmcombine -q --config-dir "$config_dir" create vm --layout concat a="$src" b="$other" 2>/dev/null ||
	fail "create"
copy_rates "" vm "$src" "$dst"
# Devices slower than the CPU copies, as disks are: 50 MB/s each
# (null_blk's mbps); dd and the move are then bound by the devices.
slowsrc=$(nullb_create moveslowsrc "$mib" irqmode=0 mbps=50)
slowdst=$(nullb_create moveslowdst "$mib" irqmode=0 mbps=50)
dmcombine -q --config-dir "$config_dir" create slow a="$slowsrc" 2>/dev/null || fail "create slow"
copy_rates -50MBps slow "$slowsrc" "$slowdst"
dmcombine -q --config-dir "$config_dir" remove --forget slow || fail "remove slow"

# p99 VOLUME [TO]: 4 KiB random read p99 (usec) on VOLUME (a or b), moving
# a to TO meanwhile if asked.
p99() {
	case $1 in
	a) offset=0 ;;
	*) offset=$((mib << 20)) ;;
	esac
	fio --name=lat --filename=/dev/mapper/vm --direct=1 --ioengine=libaio \
		--iodepth=32 --rw=randread --bs=4k --size=$((mib << 20)) --offset="$offset" \
		--randseed=42 --runtime=4 --time_based --output-format=json >/tmp/lat.json &
	fio_pid=$!
	if [ -n "${2:-}" ]; then
		sleep 1
		dmcombine -q --config-dir "$config_dir" move vm a "$2" || fail "move during fio"
	fi
	wait "$fio_pid" || fail "fio failed"
	jq '.jobs[0].read.clat_ns.percentile["99.000000"] / 1000 | floor' /tmp/lat.json
}
row move-latency $mib none "$(p99 b)" usec
row move-latency $mib moving "$(p99 b "$src")" usec
# The moving volume's own reads (through the mirror while it copies).
row move-latency $mib own-none "$(p99 a)" usec
row move-latency $mib own-moving "$(p99 a "$dst")" usec

dmcombine -q --config-dir "$config_dir" remove --forget vm
nullb_remove movesrc
nullb_remove movedst
nullb_remove moveother
nullb_remove moveslowsrc
nullb_remove moveslowdst
