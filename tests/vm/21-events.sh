#!/bin/sh
# The dm event of a region's first error: a member swapped for dm-error
# makes `dmsetup wait` return; one event per region however many errors
# follow, one for a member's first failed flush, none for the healthy
# region, and stats_reset arms each region again.
. /tests/lib.sh
. /tests/combine.sh
need_module

# events NAME: the device's event number.
events() {
	dmsetup info -c --noheadings -o events "$1"
}

# settled_events NAME: the event number once every queued event is in (the
# target delivers them when it is suspended).
settled_events() {
	dmsetup suspend "$1" && dmsetup resume "$1" || fail "suspend $1"
	events "$1"
}

brd_load 1 4096
d=/dev/ram0
dmsetup create member --table "0 4096 linear $d 0" || fail "member"
m=/dev/mapper/member
# Regions 0 and 2 on the member that will fail, region 1 on a healthy one.
dmsetup create cmb --table "0 3072 combine 0 3 1024 $m 0 1024 $d 4096 1024 $m 1024" ||
	fail "table refused"
read_sectors /dev/mapper/cmb 0 8 /tmp/x || fail "read before the failure"
ev=$(settled_events cmb)

(timeout 60 dmsetup wait cmb "$ev"; echo $? >/tmp/waited) &
waiter=$!
sleep 1
[ ! -e /tmp/waited ] || fail "dmsetup wait returned before any error"

dmsetup load member --table "0 4096 error" && dmsetup resume member ||
	fail "member swap to dm-error"
for i in 1 2 3; do
	read_sectors /dev/mapper/cmb 0 8 /tmp/x && fail "read of a failed member"
done
wait "$waiter"
[ "$(cat /tmp/waited)" = 0 ] || fail "dmsetup wait did not return (exit $(cat /tmp/waited))"
[ "$(settled_events cmb)" = $((ev + 1)) ] ||
	fail "three errors on region 0: $(($(events cmb) - ev)) events, want 1"
echo "dmsetup wait returned on region 0's first error"

# The healthy region: no event.  Region 2: its own first error, one event.
read_sectors /dev/mapper/cmb 1024 8 /tmp/x || fail "healthy region read"
read_sectors /dev/mapper/cmb 2048 8 /tmp/x && fail "read of a failed member"
read_sectors /dev/mapper/cmb 2056 8 /tmp/x && fail "read of a failed member"
[ "$(settled_events cmb)" = $((ev + 2)) ] ||
	fail "region 2's errors: $(($(events cmb) - ev)) events in all, want 2"

# stats_reset arms the regions again.
dmsetup message cmb 0 stats_reset || fail "stats_reset refused"
read_sectors /dev/mapper/cmb 8 8 /tmp/x && fail "read of a failed member"
[ "$(settled_events cmb)" = $((ev + 3)) ] ||
	fail "error after stats_reset: $(($(events cmb) - ev)) events in all, want 3"
echo "one event per region's first error; stats_reset re-arms"

# A hole fails every bio: its first one raises the event too.
dmsetup remove cmb
dmsetup create cmb --table "0 2048 combine 0 2 1024 $d 0 1024 - 0" || fail "hole table"
ev=$(events cmb)
read_sectors /dev/mapper/cmb 1024 8 /tmp/x && fail "hole read"
read_sectors /dev/mapper/cmb 1024 8 /tmp/x && fail "hole read"
[ "$(settled_events cmb)" = $((ev + 1)) ] ||
	fail "hole errors: $(($(events cmb) - ev)) events, want 1"
dmsetup remove cmb
dmsetup remove member

# A member's first failed flush: one event (dm-flakey fails its writes,
# flushes included, over a device with a volatile cache).
c=$(nullb_create evflush 16 memory_backed=1 cache_size=16)
dmsetup create flaky --table "0 32768 flakey $c 0 0 1 1 error_writes" ||
	fail "flakey refused"
dmsetup create cmb --table "0 2048 combine 0 2 1024 /dev/mapper/flaky 0 1024 $d 0" ||
	fail "table refused"
ev=$(events cmb)
dd if=/dev/null of=/dev/mapper/cmb conv=fsync,notrunc 2>/dev/null &&
	fail "flush through a failing member succeeded"
dd if=/dev/null of=/dev/mapper/cmb conv=fsync,notrunc 2>/dev/null || true
[ "$(settled_events cmb)" = $((ev + 1)) ] ||
	fail "failed flushes: $(($(events cmb) - ev)) events, want 1"
echo "a member's first failed flush raises one event"
dmsetup remove cmb
dmsetup remove flaky
nullb_remove evflush
brd_unload
