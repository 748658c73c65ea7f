#!/bin/sh
# dmcombine move (issue 16): its two goals, on devices that cost nothing
# per byte (the guest CPU sets the pace) and on devices paced like real
# ones relative to the guest CPU, with a control for the second goal.
#
# Scale: under -icount shift=4 the guest runs 62.5 M instructions per
# second, a real server core 5 to 8 G (about 3 GHz at 2 instructions per
# cycle); raw null_blk costs 154 us of guest time per 4 KiB read, about
# 100 x a real host's 1 to 1.5 us.  So a device that is as slow to this
# guest as a real one is to a real core has 1/100 of its bandwidth and
# 100 x its latency: a datacenter NVMe SSD (about 100 us per 4 KiB read,
# 5 GB/s sequential) is null_blk with completion_nsec=10 ms and mbps=50.
#
# Goal 1, copy rate >= 80 % of dd oflag=direct bs=1M between the same two
# devices: null_blk irqmode=0 (CPU-bound), then devices limited to 200,
# 100 and 50 MB/s (20, 10 and 5 GB/s at scale: where the copy turns from
# CPU-bound to device-bound), then the scaled NVMe (latency and 50 MB/s).
#
# Goal 2, 4 KiB random read p99 on another volume during a move within 2x
# of without: QD32 on null_blk irqmode=0 (fio alone keeps the one vCPU
# busy), and on the scaled NVMe at QD1 (a latency-bound app) and QD32
# (about half the guest CPU, as 320k IOPS would take of a real core).
# Control: the same span of the same fio run with a plain CPU-bound shell
# loop at fio's (and kcopyd's) nice level instead of the move: what any
# equal-priority background work costs on one CPU.  And the moving
# volume's own p99, through the mirror.
. /tests/lib.sh
. /tests/combine.sh
. /tests/bench.sh
need_module
modprobe dm-mirror || skip "no dm-mirror module"

config_dir=$(mktemp -d)
mib=1024
nvme="irqmode=2 completion_nsec=10000000 mbps=50"

# The guest's clock in milliseconds (instructions, under -icount).
now_ms() {
	awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime
}
# rate MS: MiB/s for $mib MiB in MS milliseconds, to 0.1 (the goal's 80 %
# is a ratio of two of them, some near 20 MiB/s).
rate() {
	awk -v mib="$mib" -v ms="$1" 'BEGIN { printf "%.1f\n", mib * 1000 / ms }'
}

# copy_rates SUFFIX NULL_BLK_ATTR...: dd's rate between two new null_blk
# devices with ATTRs, then the move's of a volume on the first to the
# second; rows dd$SUFFIX and move$SUFFIX.
copy_rates() {
	suffix=$1
	shift
	from=$(nullb_create "copysrc$suffix" "$mib" "$@")
	to=$(nullb_create "copydst$suffix" "$mib" "$@")
	dmcombine -q --config-dir "$config_dir" create copy a="$from" 2>/dev/null ||
		fail "create copy$suffix"
	start=$(now_ms)
	dd if="$from" of="$to" bs=1M count=$mib iflag=direct oflag=direct 2>/dev/null || fail "dd"
	row move "$mib" "dd$suffix" "$(rate $(($(now_ms) - start)))" MiB/s
	start=$(now_ms)
	dmcombine -q --config-dir "$config_dir" move copy a "$to" || fail "move"
	row move "$mib" "move$suffix" "$(rate $(($(now_ms) - start)))" MiB/s
	dmcombine -q --config-dir "$config_dir" remove --forget copy || fail "remove copy"
	nullb_remove "copysrc$suffix"
	nullb_remove "copydst$suffix"
}
copy_rates "" irqmode=0
copy_rates -200MBps irqmode=0 mbps=200
copy_rates -100MBps irqmode=0 mbps=100
copy_rates -50MBps irqmode=0 mbps=50
# shellcheck disable=SC2086 # $nvme is a list of attributes
copy_rates -nvme $nvme

# p99 NAME VOLUME DEPTH [move TO | hog]: 4 KiB random read p99 (usec) at
# DEPTH on VOLUME (a or b) of NAME; from fio's second second on, NAME's
# volume a moves to TO (to its end, past fio's), or a busy shell loop runs
# until fio ends.
p99() {
	case $2 in
	a) offset=0 ;;
	*) offset=$((mib << 20)) ;;
	esac
	fio --name=lat --filename="/dev/mapper/$1" --direct=1 --ioengine=libaio \
		--iodepth="$3" --rw=randread --bs=4k --size=$((mib << 20)) --offset="$offset" \
		--randseed=42 --runtime=4 --time_based --output-format=json >/tmp/lat.json &
	fio_pid=$!
	case ${4:-} in
	move)
		sleep 1
		dmcombine -q --config-dir "$config_dir" move "$1" a "$5" ||
			fail "move during fio"
		wait "$fio_pid" || fail "fio failed"
		;;
	hog)
		sleep 1
		(while :; do :; done) &
		hog_pid=$!
		wait "$fio_pid" || fail "fio failed"
		kill "$hog_pid"
		wait "$hog_pid" 2>/dev/null || :
		;;
	*)
		wait "$fio_pid" || fail "fio failed"
		;;
	esac
	jq '.jobs[0].read.clat_ns.percentile["99.000000"] / 1000 | floor' /tmp/lat.json
}

# p99_row TEST N CONFIG NAME VOLUME DEPTH [move TO | hog]: a row of p99.
p99_row() {
	test=$1 n=$2 config=$3
	shift 3
	usecs=$(p99 "$@") || fail "$usecs"
	row "$test" "$n" "$config" "$usecs" usec
}

# latency_rows TEST N DEPTH FROM TO: rows TEST N none/moving/hog (volume b
# of vm) and own-none/own-moving (volume a, moving FROM -> TO -> FROM).
latency_rows() {
	p99_row "$1" "$2" none vm b "$3"
	p99_row "$1" "$2" moving vm b "$3" move "$5"
	p99_row "$1" "$2" hog vm b "$3" hog
	p99_row "$1" "$2" own-none vm a "$3"
	p99_row "$1" "$2" own-moving vm a "$3" move "$4"
}

src=$(nullb_create movesrc "$mib" irqmode=0)
dst=$(nullb_create movedst "$mib" irqmode=0)
other=$(nullb_create moveother "$mib" irqmode=0)
dmcombine -q --config-dir "$config_dir" create vm --layout concat a="$src" b="$other" 2>/dev/null ||
	fail "create"
latency_rows move-latency "$mib" 32 "$src" "$dst"
dmcombine -q --config-dir "$config_dir" remove --forget vm || fail "remove vm"
nullb_remove movesrc
nullb_remove movedst
nullb_remove moveother

# shellcheck disable=SC2086
src=$(nullb_create nvmesrc "$mib" $nvme)
# shellcheck disable=SC2086
dst=$(nullb_create nvmedst "$mib" $nvme)
# shellcheck disable=SC2086
other=$(nullb_create nvmeother "$mib" $nvme)
dmcombine -q --config-dir "$config_dir" create vm --layout concat a="$src" b="$other" 2>/dev/null ||
	fail "create nvme"
for depth in 1 32; do
	latency_rows move-latency-nvme "$depth" "$depth" "$src" "$dst"
done
dmcombine -q --config-dir "$config_dir" remove --forget vm || fail "remove nvme"
nullb_remove nvmesrc
nullb_remove nvmedst
nullb_remove nvmeother
