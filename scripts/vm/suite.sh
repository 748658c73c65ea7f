#!/bin/bash
# The VM suite (make vm-check): for each kernel, build dm-combine.ko for it
# with W=1 and sparse, build the guest's initramfs, boot it in QEMU (TCG)
# and collect the results the guest prints on its serial console.
#
#   scripts/vm/suite.sh KVER...
#
# Environment:
#   VM_TESTS         tests to run, names or globs ("01-dm-linear 1*"); all by default
#   VM_VERBOSE=1     show every test's output, not only the failed ones'
#   VM_TIMEOUT       seconds before QEMU is killed, per kernel (1800)
#   VM_TEST_TIMEOUT  seconds per test in the guest (the guest's default: 900)
#   VM_SMP, VM_MEM   guest CPUs (2) and MiB (2048)
#   VM_TCG_THREAD    single (default) or multi: see boot()
#   VM_APPEND        more kernel command line, e.g. "loglevel=7"
#   QEMU_EXTRA       more QEMU arguments, e.g. "-icount shift=4,sleep=off"
#   VM_TESTS_DIR     the guest's /tests: init, lib.sh and tests (tests/vm)
#   VM_WORKDIR       where each kernel's directory goes (build)
#
# build/KVER/ keeps src/ and build.log, initrd.cpio, console.log, results.
# The last line is "N passed, N failed, N skipped" over all kernels; the
# exit status is 1 if a check failed or a guest gave no answer.
set -eu
cd "$(dirname "$0")/../.."

[ $# -gt 0 ] || { echo "usage: $0 KVER..." >&2; exit 2; }

# shellcheck source=scripts/vm/results.sh
. scripts/vm/results.sh
read_problems tests/vm/init

# build_module KVER: dm-combine.ko for KVER in its own copy of the sources,
# so that builds for two kernels do not clash.  Any compiler or sparse
# warning fails the build; a module is still tested if one came out.
# A kernel outside this host (the newest Debian one) is built for in its
# own root, by the compiler that built the kernel.
build_module() {
	local src=$dir/src make_module
	rm -rf "$src"
	mkdir -p "$src"
	if [ ! -e kernel/dm-combine.c ]; then
		note build SKIP "no kernel/dm-combine.c yet"
		return
	fi
	# Sources only: an in-tree build leaves objects and .cmd files behind.
	find Kbuild kernel include -name Kbuild -o -name '*.[ch]' ! -name '*.mod.c' |
		cpio -pd --quiet "$src"
	if [ "$kroot" = / ]; then
		make_module=(make -C "/lib/modules/$1/build" M="$(realpath "$src")")
	else
		make_module=(scripts/newest-kernel.sh build "$src")
	fi
	if "${make_module[@]}" W=1 C=2 modules >"$dir/build.log" 2>&1 &&
	   ! grep -Eq '(warning|error):' "$dir/build.log"; then
		note build PASS
	else
		note build FAIL "$(grep -Ec '(warning|error):' "$dir/build.log") warnings or errors, see build.log"
		sed 's/^/    /' "$dir/build.log"
	fi
	# The kernel's Makefile turns C=2 off, with this message, when sparse
	# cannot parse its headers: 7.x's need __typeof_unqual__, which no
	# Debian sparse (0.6.4) knows.
	if grep -q 'is not available or not up to date' "$dir/build.log"; then
		note sparse SKIP "the kernel turned C=2 off: Debian's sparse 0.6.4 cannot parse its headers"
	fi
	[ ! -e "$src/kernel/dm-combine.ko" ] || image_args+=(--module "$src/kernel/dm-combine.ko")
}

# boot KVER: run the guest, its console into console.log, each result line
# shown as it comes.
boot() {
	local append="console=ttyS0 quiet panic=-1 oops=panic softlockup_panic=1 hung_task_panic=1"
	[ -z "${VM_TESTS:-}" ] || append+=" dmc.tests=$(echo "$VM_TESTS" | tr -s ' ' ,)"
	[ -z "${VM_TEST_TIMEOUT:-}" ] || append+=" dmc.timeout=$VM_TEST_TIMEOUT"
	[ -z "${VM_VERBOSE:-}" ] || append+=" dmc.verbose=$VM_VERBOSE"
	append+=" ${VM_APPEND:-}"
	# One host thread for all vCPUs: with one each (multi), 6.12 oopsed on
	# an int3 left by its own code patching (static keys) in 1 of 30 boots
	# on a busy host, a race in QEMU's handling of cross-modified code.
	# Single was no slower here: the host has 2 cores, shared.
	# shellcheck disable=SC2086 # QEMU_EXTRA is a list of arguments
	timeout "${VM_TIMEOUT:-1800}" qemu-system-x86_64 -m "${VM_MEM:-2048}" \
		-smp "${VM_SMP:-2}" -accel "tcg,thread=${VM_TCG_THREAD:-single}" \
		-nographic -no-reboot -nic none \
		-kernel "$(scripts/kernels.sh image "$1")" -initrd "$dir/initrd.cpio" \
		-append "$append" ${QEMU_EXTRA:-} </dev/null 2>"$dir/qemu.log" |
		sed -u 's/\r$//' | tee "$dir/console.log" |
		sed -un 's/^DMC-RESULT /  /p; /^guest: /s/^/  /p'
	qemu_rc=${PIPESTATUS[0]}
}

for kver in "$@"; do
	dir=${VM_WORKDIR:-build}/$kver
	echo "== $kver"
	start_results "$dir"
	kroot=$(scripts/kernels.sh root "$kver")
	image_args=(--root "$kroot")
	[ ! -x userspace/dmcombine ] || image_args+=(--bin "$PWD/userspace/dmcombine")

	t0=$SECONDS
	build_module "$kver"
	t1=$SECONDS
	if ! scripts/vm/mkinitramfs.sh --kver "$kver" --out "$dir/initrd.cpio" \
		--tests "${VM_TESTS_DIR:-tests/vm}" "${image_args[@]}"; then
		note initramfs FAIL "mkinitramfs.sh failed"
	else
		t2=$SECONDS
		boot "$kver"
		t3=$SECONDS
		sed -n 's/^DMC-RESULT //p' "$dir/console.log" >>"$results"
		# Test output blocks: only failed tests', unless VM_VERBOSE=1.
		sed -n '/^DMC-OUTPUT-BEGIN /,/^DMC-OUTPUT-END /{
			/^DMC-OUTPUT-END /d
			s/^DMC-OUTPUT-BEGIN \(.*\)/  --- output of \1:/p
			t
			s/^/    /p
		}' "$dir/console.log"
		if ! grep -q '^DMC-DONE$' "$dir/console.log"; then
			running=$(sed -n 's/^DMC-RUN //p' "$dir/console.log" | tail -n 1)
			case $qemu_rc in
			124) why="killed after ${VM_TIMEOUT:-1800} s" ;;
			*) why="QEMU exited with $qemu_rc" ;;
			esac
			note guest FAIL "gave no answer: $why, last test run: ${running:-none}"
			tail -n 20 "$dir/console.log" | cat "$dir/qemu.log" - | sed 's/^/    /'
		fi
		console_problems console "$dir/console.log" "$dir/problems"
		echo "  times: build $((t1 - t0)) s, initramfs $((t2 - t1)) s, VM $((t3 - t2)) s"
	fi
	tally "$kver" "$dir/console.log"
	exec 9>&-
done

totals
