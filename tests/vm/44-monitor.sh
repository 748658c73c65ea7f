#!/bin/sh
# dmcombine monitor logs a volume that starts failing (a member swapped for
# dm-error), and again when it recovers: after stats_reset, and after a
# table reload. It reads status at least every --interval seconds, so this
# holds whether or not the target raises a dm event on the first error.
. /tests/lib.sh
. /tests/tool.sh
need_module

brd_load 2 8192
dmsetup create flaky --table "0 16384 linear /dev/ram1 0"
dmc create vm a=/dev/ram0 f=/dev/mapper/flaky || fail "create"
f_start=$(volume_field vm f start)

# Not through dmc: a backgrounded function is a subshell, whose pid kill would hit.
dmcombine --config-dir "$config_dir" monitor --interval 1 2>>/tmp/monitor.log &
monitor=$!

# logged TEXT: waits up to 20 s for a line of the monitor's log matching TEXT.
logged() {
	i=0
	while ! grep -q "$1" /tmp/monitor.log; do
		i=$((i + 1))
		[ "$i" -le 40 ] || fail "monitor did not log '$1': $(cat /tmp/monitor.log)"
		sleep 0.5
	done
}

# fail_f: f's member turns into dm-error and a read of f fails.
fail_f() {
	dmsetup suspend flaky
	dmsetup load flaky --table "0 16384 error"
	dmsetup resume flaky
	dd if=/dev/mapper/vm of=/dev/null bs=4096 skip=$((f_start / 8)) count=1 iflag=direct \
		2>/dev/null && fail "read of the failed volume succeeded"
	true
}

# heal_f: f's member is the ram disk again.
heal_f() {
	dmsetup suspend flaky
	dmsetup load flaky --table "0 16384 linear /dev/ram1 0"
	dmsetup resume flaky
}

logged "monitor: watching the devices of $config_dir"
fail_f
logged "vm: volume f (/dev/mapper/flaky on /dev/dm-[0-9]*) is failing: [0-9]* I/O errors, 0 flush errors"
heal_f
dmsetup message vm 0 stats_reset
logged "vm: volume f .* recovered: was failing, now 0 I/O errors"
echo "failing and recovered after stats_reset: logged"

: >/tmp/monitor.log
fail_f
logged "vm: volume f .* is failing"
heal_f
dmsetup table vm >/tmp/table
dmsetup suspend vm
dmsetup load vm --table "$(cat /tmp/table)"
dmsetup resume vm
logged "vm: volume f .* recovered"
grep -c "is failing" /tmp/monitor.log | grep -qx 1 || fail "logged twice: $(cat /tmp/monitor.log)"
grep -q "volume a" /tmp/monitor.log && fail "a healthy volume was logged: $(cat /tmp/monitor.log)"
echo "failing and recovered after a table reload: logged"
sed -n 's/^dmcombine\[[0-9]*\]: /  /p' /tmp/monitor.log

kill "$monitor"
wait "$monitor" || fail "monitor exited $? on SIGTERM"
grep -q "monitor: stopped" /tmp/monitor.log || fail "no stop line: $(cat /tmp/monitor.log)"
dmc remove --forget vm
dmsetup remove flaky
brd_unload
