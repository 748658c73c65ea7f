# Helpers for the guest benchmarks (sourced after lib.sh and combine.sh).
# Every measurement is one line "BENCH <test> <N> <config> <value> <unit>",
# which scripts/vm/bench.sh gathers into tests/bench/RESULTS.md.

# The region counts measured, and fio's time per run in guest seconds
# (guest time counts instructions under -icount); scripts/vm/bench.sh may
# set them on the kernel command line (dmc.bench_n=1,100 dmc.bench_runtime=3).
bench_counts="1 100 1000 10000 100000"
bench_runtime=3
for arg in $(cat /proc/cmdline); do
	case $arg in
	dmc.bench_n=*) bench_counts=$(echo "${arg#*=}" | tr , ' ') ;;
	dmc.bench_runtime=*) bench_runtime=${arg#*=} ;;
	esac
done

# row TEST N CONFIG VALUE UNIT
row() {
	echo "BENCH $*"
}

# iops DEV RW BS DEPTH [FIO_ARG...]: fio's IOPS for RW on DEV, fixed seed.
iops() {
	dev=$1 rw=$2 bs=$3 depth=$4
	shift 4
	fio --name=bench --filename="$dev" --direct=1 --ioengine=libaio \
		--iodepth="$depth" --rw="$rw" --bs="$bs" --randseed=42 \
		--norandommap --runtime="$bench_runtime" --time_based \
		--ramp_time=1 --minimal "$@" >/tmp/fio.terse ||
		fail "fio $rw on $dev failed"
	# Terse format v3: field 8 is read IOPS, field 49 write IOPS.
	awk -F';' '{ print $8 + $49 }' /tmp/fio.terse
}

# regions_layout N MIB DEV...: N regions of MIB MiB each, dealt in turn to
# the DEVs, each at the next free offset of its device.
regions_layout() {
	n=$1 len=$(($2 * 2048))
	shift 2
	awk -v n="$n" -v len="$len" -v devs="$*" 'BEGIN {
		nd = split(devs, dev, " ")
		for (i = 0; i < n; i++)
			print len, dev[i % nd + 1], int(i / nd) * len }'
}

# linear1_and_combine NAME N: null_blk NAME of N MiB (irqmode=0; its path in
# raw) as N regions of 1 MiB (their layout in /tmp/layout), and over it
# dm-linear with one line (linear1) and combine (combine).
linear1_and_combine() {
	raw=$(nullb_create "$1" "$2" irqmode=0)
	regions_layout "$2" 1 "$raw" >/tmp/layout
	dmsetup create linear1 --table "0 $(sectors_of "$raw") linear $raw 0"
	combine_table /tmp/layout | dmsetup create combine
}

# linear1_and_combine_remove NAME: removes what linear1_and_combine NAME made.
linear1_and_combine_remove() {
	dmsetup remove combine
	dmsetup remove linear1
	nullb_remove "$1"
}

# kernel_memory: bytes of unreclaimable slab, vmalloc and per-CPU memory.
kernel_memory() {
	awk '/^(SUnreclaim|VmallocUsed|Percpu):/ { kib += $2 }
	     END { print kib * 1024 }' /proc/meminfo
}

# possible_cpus: how many CPUs the kernel may ever bring up (per-CPU
# allocations are made for each), as the guest was booted.
possible_cpus() {
	echo $(($(sed 's/.*-//' /sys/devices/system/cpu/possible) + 1))
}

# uptime_cs: guest time in centiseconds.
uptime_cs() {
	awk '{ split($1, t, "."); print t[1] * 100 + t[2] }' /proc/uptime
}

# time_ms COMMAND...: guest milliseconds COMMAND takes, the mean of 10 runs
# timed together (one run is near the 10 ms tick).
time_ms() {
	t0=$(uptime_cs)
	i=0
	while [ $i -lt 10 ]; do
		"$@" >/dev/null || fail "$* failed"
		i=$((i + 1))
	done
	t1=$(uptime_cs)
	# Centiseconds for ten runs are milliseconds for one.
	echo $((t1 - t0))
}
