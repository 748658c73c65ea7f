#!/bin/sh
# dmcombine iostat and status --format openmetrics: the first report counts
# since the table load, later ones over the interval; stats_reset and a
# reload (add) restart a volume's counters without a negative rate;
# devices that appear and go away between reports; bad arguments refused
# in one line; metrics per device and volume ending in "# EOF".
. /tests/lib.sh
. /tests/tool.sh
need_module

brd_load 3 8192
image /tmp/x.img 4

# report FILE N JQ: line N of FILE (a report) makes the jq filter true.
report() {
	sed -n "$2p" "$1" | jq -e "$3" >/dev/null || fail "report $2 of $1 is not $3: $(sed -n "$2p" "$1")"
}

# reports_of FILE COUNT: FILE has COUNT reports, one JSON object a line, no
# rate or counter below zero.
reports_of() {
	[ "$(wc -l <"$1")" = "$2" ] || fail "$1: $(wc -l <"$1") reports, want $2: $(cat "$1")"
	jq -e '[.. | numbers] | all(. >= 0)' "$1" >/dev/null || fail "$1: a negative number: $(cat "$1")"
}

# first_report FILE: waits (10 s at most) until iostat wrote its first report.
first_report() {
	for try in 1 2 3 4 5 6 7 8 9 10; do
		[ ! -s "$1" ] || return 0
		sleep 1
	done
	fail "no first report in $1 after $try s"
}

dmc create vm1 a=/dev/ram0 b=/dev/ram1 || fail "create"
a=$(volume_field vm1 a start)
b=$(volume_field vm1 b start)
writes_to vm1 "$a" 32
reads_from vm1 "$b" 16

# One report: since the table load, over the time since then.
dmc iostat vm1 --json >/tmp/one || fail "iostat vm1 --json"
reports_of /tmp/one 1
report /tmp/one 1 '.since_load and (.devices | length) == 1 and .devices[0].name == "vm1"'
report /tmp/one 1 '.devices[0].volumes[] | select(.id == "a") |
	.writes == 32 and .write_sectors == 256 and .seconds > 0 and .writes_per_second > 0 and
	.partition == 1 and .latency == null'
report /tmp/one 1 '.devices[0].volumes[] | select(.id == "b") | .reads >= 16 and .partition == 2'
dmc iostat vm1 >/tmp/text || fail "iostat vm1"
grep -q 'r/s  *w/s  *rMB/s  *wMB/s  *errors$' /tmp/text || fail "text header: $(cat /tmp/text)"
grep -Eq '^vm1 +a ' /tmp/text || fail "no row of a: $(cat /tmp/text)"

# stats_reset between two reports (6 s apart: time for the changes in
# between under TCG): a counts again from zero.
dmc iostat vm1 6 2 --json >/tmp/reset &
pid=$!
first_report /tmp/reset
dmsetup message vm1 0 stats_reset || fail "stats_reset"
writes_to vm1 "$a" 8
wait "$pid" || fail "iostat vm1 6 2 failed"
reports_of /tmp/reset 2
report /tmp/reset 2 '(.since_load | not) and (.devices[0].volumes[] | select(.id == "a") |
	.restarted and .writes == 8 and .seconds > 0 and .seconds < 8)'

# A reload (add) between two reports: every volume restarts, c is new.
dmc iostat vm1 6 2 --json >/tmp/reload &
pid=$!
first_report /tmp/reload
dmc add vm1 c=/dev/ram2 || fail "add c"
c=$(volume_field vm1 c start)
writes_to vm1 "$c" 4
wait "$pid" || fail "iostat across add failed"
reports_of /tmp/reload 2
report /tmp/reload 1 '[.devices[0].volumes[].id] == ["a", "b"]'
report /tmp/reload 2 '[.devices[0].volumes[].id] == ["a", "b", "c"]'
report /tmp/reload 2 '.devices[0].volumes[] | select(.id == "c") | .restarted and .writes == 4'
report /tmp/reload 2 '.devices[0].volumes[] | select(.id == "a") | .restarted and .writes == 0'

# Every device: vm2 appears and vm1 goes inactive between the reports.
dmc iostat 6 2 --json >/tmp/all &
pid=$!
first_report /tmp/all
dmc create vm2 --layout concat x=/tmp/x.img || fail "create vm2"
dmc remove vm1 || fail "remove vm1"
wait "$pid" || fail "iostat of every device failed"
reports_of /tmp/all 2
report /tmp/all 1 '[.devices[] | .name] == ["vm1"]'
report /tmp/all 2 '[.devices[] | [.name, .active]] == [["vm1", false], ["vm2", true]]'
report /tmp/all 2 '.devices[1].volumes[0] | .id == "x" and .partition == null'

# Metrics of every device, inactive ones as such.
writes_to vm2 0 2
dmc status --format openmetrics >/tmp/metrics || fail "status --format openmetrics"
[ "$(tail -n 1 /tmp/metrics)" = "# EOF" ] || fail "metrics do not end in # EOF"
grep -qx 'dmcombine_device_active{device="vm1"} 0' /tmp/metrics || fail "vm1: $(cat /tmp/metrics)"
grep -qx 'dmcombine_device_active{device="vm2"} 1' /tmp/metrics || fail "vm2: $(cat /tmp/metrics)"
grep -qx 'dmcombine_writes_total{device="vm2",volume="x",partition=""} 2' /tmp/metrics ||
	fail "vm2's writes: $(grep writes_total /tmp/metrics)"
grep -qx 'dmcombine_written_bytes_total{device="vm2",volume="x",partition=""} 8192' /tmp/metrics ||
	fail "vm2's bytes: $(grep written_bytes /tmp/metrics)"
grep -q '# TYPE dmcombine_reads_total counter' /tmp/metrics || fail "no TYPE line"
dmc status vm2 --format openmetrics >/tmp/metrics || fail "status vm2 --format openmetrics"
! grep -q 'device="vm1"' /tmp/metrics || fail "vm1 in the metrics of vm2"

# Bad arguments: one line, exit 1; an unknown format is a usage error.
for args in "vm2 0" "vm2 1 0" "nosuch 1" "vm2 1 x" "vm2 100000"; do
	rc=0
	# shellcheck disable=SC2086 # the words are the arguments
	dmc iostat $args 2>/tmp/err >/dev/null || rc=$?
	[ "$rc" = 1 ] && [ "$(wc -l </tmp/err)" = 1 ] ||
		fail "iostat $args: exit $rc, $(cat /tmp/err)"
done
rc=0
dmc status vm2 --format yaml 2>/tmp/err || rc=$?
[ "$rc" = 2 ] && [ "$(wc -l </tmp/err)" = 1 ] || fail "--format yaml: exit $rc, $(cat /tmp/err)"

dmc remove --forget vm2 || fail "remove vm2"
dmc remove --forget vm1 || fail "forget vm1"
no_trace vm1
no_trace vm2
brd_unload
