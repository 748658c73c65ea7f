#!/bin/bash
# make bench: the guest benchmarks of tests/bench, in QEMU with one vCPU and
# -icount (guest time counts executed instructions, so figures repeat to
# about 0.1 %), on each kernel given; writes tests/bench/RESULTS.md.
#
#   scripts/vm/bench.sh KVER...
#
# BENCH_N (region counts) and BENCH_RUNTIME (fio seconds per run) pass to
# the guest on its kernel command line.  Never part of make check.
#
# Three passes: every benchmark on one vCPU; the scale ones (50-*, 60-*)
# on two vCPUs without -icount (with it, two vCPUs do not get past SeaBIOS
# here), so their IOPS are wall-clock figures; and 50-* on one vCPU with
# possible_cpus=256 (per-CPU memory is allocated for every possible CPU).
# BENCH_PASSES picks some of them ("1 2 3" by default); VM_TESTS picks
# tests within the first.
set -eu
cd "$(dirname "$0")/../.."

[ $# -gt 0 ] || { echo "usage: $0 KVER..." >&2; exit 2; }

work=build/bench
stage=$work/tests
rm -rf "$stage"
mkdir -p "$stage"
cp tests/vm/init tests/vm/lib.sh tests/vm/combine.sh tests/bench/*.sh "$stage/"
# The ioctl timer (make vm-tools builds it).
cp tests/vm/dm-ioctl-time "$stage/"

append=
[ -z "${BENCH_N:-}" ] || append+=" dmc.bench_n=$(echo "$BENCH_N" | tr -s ' ' ,)"
[ -z "${BENCH_RUNTIME:-}" ] || append+=" dmc.bench_runtime=$BENCH_RUNTIME"
passes=${BENCH_PASSES:-1 2 3}

icount="-icount shift=4,sleep=off"

# run_pass N SMP QEMU_ARGS APPEND [TESTS]: one pass into $work/pass-N/KVER.
run_pass() {
	case " $passes " in *" $1 "*) ;; *) return 0 ;; esac
	rm -rf "$work/pass-$1"
	VM_TESTS=${5:-${VM_TESTS:-}} VM_TESTS_DIR=$stage VM_WORKDIR=$work/pass-$1 \
		VM_SMP=$2 VM_MEM=4096 VM_VERBOSE=1 \
		VM_TIMEOUT=${VM_TIMEOUT:-5400} VM_TEST_TIMEOUT=5000 \
		VM_APPEND="${VM_APPEND:-}$append$4" \
		QEMU_EXTRA="$3 ${QEMU_EXTRA:-}" \
		scripts/vm/suite.sh "${kernels[@]}" | grep -v '^    BENCH '
}
kernels=("$@")
run_pass 1 1 "$icount" ""
run_pass 2 2 "" "" "50-* 60-*"
run_pass 3 1 "$icount" " possible_cpus=256" "50-*"

out=tests/bench/RESULTS.md
{
	echo "# dmcombine benchmarks"
	echo
	echo "Written by \`make bench\` on $(date -u +%Y-%m-%d): QEMU TCG, 1 vCPU,"
	echo "\`-icount shift=4,sleep=off\`, fio libaio direct, fixed seeds; null_blk with"
	echo "irqmode=0. IOPS are per guest second, i.e. per instruction budget: they"
	echo "measure CPU cost per I/O. Regions are 1 MiB each."
	for kver in "$@"; do
		echo
		echo "## Linux $kver"
		echo
		cat "$work"/pass-*/"$kver"/console.log 2>/dev/null | sed -n 's/^BENCH //p' |
			scripts/vm/bench-report.awk -v kver="$kver"
	done
	cat tests/bench/analysis.md
} >"$out"
echo "wrote $out"
