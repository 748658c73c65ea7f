#!/bin/bash
# Guests over shared disk images, for each kernel, booting the VM suite's
# initramfs:
#
# Two hosts at once (issue 15): two QEMU guests boot at the same time,
# roles "a" and "b", and run tests/vm/49-two-hosts.sh over the same image
# files: three member disks and a mailbox disk through which the guests
# take turns, each opened by both QEMU processes with image locking off,
# cache=none and share-rw=on, each with a serial (virtio-SERIAL in the
# guests). The host starts both, waits for both and reads their consoles'
# markers, as suite.sh does for one guest.
#
# A power-off (issue 16): one guest, role "off", runs
# tests/vm/58-move-power-off.sh, which powers it off at once (sysrq o) in
# the middle of a move, saying so on the console ("DMC-POWER-OFF"); a
# second guest, role "on", boots on the same images and runs it again.
#
#   scripts/vm/two-hosts.sh KVER...
#
# It boots build/KVER/initrd.cpio, made by scripts/vm/suite.sh (make
# vm-check runs the suite first, then this).
# Environment: VM_TIMEOUT (seconds before QEMU is killed, 600), VM_MEM
# (MiB per guest, 1024), VM_WORKDIR (build), VM_APPEND (more command line).
# build/KVER/two-hosts/ keeps the images, console-a.log, console-b.log and
# results, build/KVER/power-off/ console-off.log and console-on.log. The
# last line is "N passed, N failed, N skipped"; the exit status is 1 if a
# check failed or a guest gave no answer.
set -eu
cd "$(dirname "$0")/../.."

[ $# -gt 0 ] || { echo "usage: $0 KVER..." >&2; exit 2; }
# shellcheck source=scripts/vm/results.sh
. scripts/vm/results.sh
read_problems tests/vm/init

# guest TEST ROLE DISK...: one guest running TEST over the images
# $run/DISK.img, its console into console-ROLE.log.
guest() {
	local test=$1 role=$2 disks=() disk
	shift 2
	for disk in "$@"; do
		disks+=(-drive "file=$run/$disk.img,format=raw,file.locking=off,cache=none,if=none,id=$disk"
			-device "virtio-blk-pci,drive=$disk,serial=$disk,share-rw=on")
	done
	timeout "${VM_TIMEOUT:-600}" qemu-system-x86_64 -m "${VM_MEM:-1024}" -smp 1 \
		-accel tcg,thread=single -nographic -no-reboot -nic none \
		-kernel "$(scripts/kernels.sh image "$kver")" -initrd "$dir/initrd.cpio" \
		-append "console=ttyS0 quiet panic=-1 oops=panic softlockup_panic=1 hung_task_panic=1 dmc.tests=$test dmc.role=$role ${VM_APPEND:-}" \
		"${disks[@]}" </dev/null 2>"$run/qemu-$role.log" |
		sed -u 's/\r$//' >"$run/console-$role.log"
	echo "${PIPESTATUS[0]}" >"$run/qemu-$role.rc"
}

# collect ROLE: the guest's results as ROLE/NAME, its output when it failed.
collect() {
	local log=$run/console-$1.log
	sed -n "s|^DMC-RESULT |$1/|p" "$log" | while read -r line; do note "$line"; done
	sed -n '/^DMC-OUTPUT-BEGIN /,/^DMC-OUTPUT-END /{
		/^DMC-OUTPUT-END /d
		s/^DMC-OUTPUT-BEGIN \(.*\)/  --- output of '"$1"'\/\1:/p
		t
		s/^/    /p
	}' "$log"
	if ! grep -q '^DMC-DONE$' "$log"; then
		note "$1/guest" FAIL "gave no answer: QEMU exited with $(cat "$run/qemu-$1.rc")"
		tail -n 20 "$log" | cat "$run/qemu-$1.log" - | sed 's/^/    /'
	fi
	console_problems "$1/console" "$log" "$run/problems-$1"
}

# two_hosts: guests a and b at once over the member and mailbox disks.
two_hosts() {
	truncate -s 16M "$run/m1.img"
	truncate -s 8M "$run/m2.img" "$run/m3.img"
	truncate -s 1M "$run/mailbox.img"
	guest 49-two-hosts a m1 m2 m3 mailbox &
	guest 49-two-hosts b m1 m2 m3 mailbox &
	wait
	collect a
	collect b
}

# power_off: one guest powered off mid-move, then one booted on its disks.
power_off() {
	truncate -s 32M "$run/a.img" "$run/new.img"
	truncate -s 64M "$run/state.img"
	mkfs.ext4 -q -L dmc-state "$run/state.img"
	guest 58-move-power-off off a new state
	# Powered off as planned: no answer but the marker, and no kernel
	# complaint.
	if grep -q '^DMC-POWER-OFF ' "$run/console-off.log" &&
	   ! grep -q '^DMC-DONE$' "$run/console-off.log"; then
		note "off/58-move-power-off" PASS "$(sed -n 's/^DMC-POWER-OFF move: //p' "$run/console-off.log")"
		console_problems off/console "$run/console-off.log" "$run/problems-off"
	else
		collect off
	fi
	guest 58-move-power-off on a new state
	collect on
}

for kver in "$@"; do
	dir=${VM_WORKDIR:-build}/$kver
	for scenario in two-hosts power-off; do
		run=$dir/$scenario
		echo "== $kver: $scenario"
		start_results "$run"
		if [ ! -e "$dir/initrd.cpio" ]; then
			note "$scenario" FAIL "no $dir/initrd.cpio: run scripts/vm/suite.sh $kver first"
		else
			rm -f "$run"/*.img
			t0=$SECONDS
			"${scenario/-/_}"
			echo "  time: $((SECONDS - t0)) s"
		fi
		tally "$kver ($scenario)"
		exec 9>&-
	done
done

totals
