#!/bin/sh
# Latency histograms through the tool: create --latency loads the target's
# latency feature and the map keeps it across remove and assemble;
# assemble --no-latency and add --latency turn it off and on; status,
# iostat and the metrics show the buckets, which count every read and
# write. A target without the feature (before 1.3) refuses --latency in
# one line, with nothing left behind.
. /tests/lib.sh
. /tests/tool.sh
need_module

brd_load 3 8192
version=$(dmsetup targets | sed -n 's/^combine *v//p')
minor=$(echo "$version" | cut -d. -f2)
if [ "$minor" -lt 3 ]; then
	rc=0
	dmc create vm1 --latency a=/dev/ram0 2>/tmp/err || rc=$?
	[ "$rc" = 1 ] && [ "$(wc -l </tmp/err)" = 1 ] && grep -q 'has no latency feature' /tmp/err ||
		fail "create --latency on target $version: exit $rc, $(cat /tmp/err)"
	no_trace vm1
	brd_unload
	skip "combine target $version has no latency feature (1.3): refused as it should be"
fi

# latency_on NAME: the live table has the latency feature (after gpt's words).
latency_on() {
	dmsetup table "$1" | grep -q "^0 [0-9]* combine 4 gpt [0-9]* [0-9a-f-]* latency "
}

# saved_latency NAME: the map's "latency" (null when the key is absent).
saved_latency() {
	jq -c '.latency' "$config_dir/$1.json"
}

dmc create vm1 --latency a=/dev/ram0 b=/dev/ram1 || fail "create --latency"
latency_on vm1 || fail "no latency in the table: $(dmsetup table vm1)"
[ "$(saved_latency vm1)" = true ] || fail "map: latency $(saved_latency vm1)"
a=$(volume_field vm1 a start)
b=$(volume_field vm1 b start)
writes_to vm1 "$a" 32
reads_from vm1 "$b" 16

# Every completion in one bucket: the buckets add up to the counters.
dmc status vm1 --json >/tmp/status || fail "status --json"
jq -e '.volumes[] | select(.id == "a") | .latency.write.count == 32 and .writes == 32 and
	(.latency.write.buckets | add) == 32 and .latency.write.usecs > 0 and
	.latency.write.p99_usecs >= .latency.write.p50_usecs and
	.latency.read.count == .reads' /tmp/status >/dev/null || fail "status of a: $(cat /tmp/status)"
jq -e '.volumes[] | select(.id == "b") | .latency.read.count == .reads and .reads >= 16 and
	(.latency.read.buckets | length) == 22' /tmp/status >/dev/null || fail "status of b: $(cat /tmp/status)"
dmc status vm1 | grep -q '^ID  *READ-MEAN  *READ-P50  *READ-P99  *WRITE-MEAN' ||
	fail "no latency table: $(dmc status vm1)"
dmc iostat vm1 --json >/tmp/iostat || fail "iostat --json"
jq -e '.devices[0].volumes[] | select(.id == "a") | .latency.write.count == 32' /tmp/iostat \
	>/dev/null || fail "iostat: $(cat /tmp/iostat)"
dmc iostat vm1 | grep -q 'r_await  *w_await  *r_p99  *w_p99$' || fail "iostat columns: $(dmc iostat vm1)"
dmc status --format openmetrics >/tmp/metrics || fail "metrics"
grep -qx 'dmcombine_latency_seconds_count{device="vm1",volume="a",partition="1",op="write"} 32' \
	/tmp/metrics || fail "metrics: $(grep latency_seconds_count /tmp/metrics)"
grep -q '^dmcombine_latency_seconds_bucket{device="vm1",volume="a",partition="1",op="write",le="+Inf"} 32$' \
	/tmp/metrics || fail "no +Inf bucket"

# Kept across remove and assemble.
dmc remove vm1 || fail "remove"
dmc assemble vm1 || fail "assemble"
latency_on vm1 || fail "assemble lost latency: $(dmsetup table vm1)"

# Off on the active device, and on again with an add; the same setting
# again changes nothing (no new generation).
dmc assemble vm1 --no-latency || fail "assemble --no-latency"
! latency_on vm1 || fail "still latency: $(dmsetup table vm1)"
[ "$(saved_latency vm1)" = null ] || fail "map after --no-latency: $(saved_latency vm1)"
dmc status vm1 --json | jq -e '.volumes[0].latency == null' >/dev/null || fail "status without latency"
dmc add vm1 --latency c=/dev/ram2 || fail "add --latency"
latency_on vm1 || fail "add --latency: $(dmsetup table vm1)"
[ "$(saved_latency vm1)" = true ] || fail "map after add --latency: $(saved_latency vm1)"
generation=$(jq .generation "$config_dir/vm1.json")
dmc assemble vm1 --latency || fail "assemble --latency again"
[ "$(jq .generation "$config_dir/vm1.json")" = "$generation" ] || fail "a new generation for nothing"

dmc remove --forget vm1 || fail "remove --forget"
no_trace vm1
brd_unload
