#!/bin/sh
# The OCF resource agent ocf:dmcombine:combined: ocf-tester (resource-agents)
# passes; monitor gives 7 (not running) stopped, 0 running, 1 (failed) when
# a volume is swapped for dm-error, a foreign device holds the name or the
# export asked for is gone; export=loopback comes and goes with the device; validate-all's codes (6 misconfigured, 5 no
# map on this node; a probe there says 7, stop 0); start and stop are
# idempotent; stop of a device held open fails; migrate_to leaves the device
# active, migrate_from assembles it.
. /tests/lib.sh
need_module

agent=/usr/lib/ocf/resource.d/dmcombine/combined
[ -x "$agent" ] || fail "no $agent in the image"
[ -x /usr/sbin/ocf-tester ] || skip "no ocf-tester in the image (resource-agents on the host)"
[ ! -e /etc/dmcombine ] || fail "/etc/dmcombine exists before the test"
export OCF_ROOT=/usr/lib/ocf
# ocf-tester runs meta-data as nobody.
[ -e /etc/passwd ] || made_passwd=1
grep -qs '^root:' /etc/passwd || echo 'root:x:0:0:root:/root:/bin/sh' >>/etc/passwd
grep -qs '^nobody:' /etc/passwd || echo 'nobody:x:65534:65534:nobody:/nonexistent:/bin/sh' >>/etc/passwd

pids=
cleanup() {
	# shellcheck disable=SC2086 # a list of pids
	[ -z "$pids" ] || kill $pids 2>/dev/null || true
	sleep 1
	dmcombine -q unexport vm1 >/dev/null 2>&1 || true
	dmcombine -q remove --forget vm1 >/dev/null 2>&1 || true
	dmsetup remove vm1 >/dev/null 2>&1 || true
	dmsetup remove m1 >/dev/null 2>&1 || true
	dmsetup remove m2 >/dev/null 2>&1 || true
	losetup -D
	rm -rf /etc/dmcombine
	[ -z "${made_passwd:-}" ] || rm -f /etc/passwd
}
trap cleanup EXIT

# Two volumes that are dm devices (identified by their DM UUIDs), so that
# one can be swapped for dm-error under the combined device.
for m in m1 m2; do
	dd if=/dev/zero of="/tmp/$m.img" bs=1M count=0 seek=8 2>/dev/null
	loop=$(losetup -f --show "/tmp/$m.img")
	echo "0 16384 linear $loop 0" >"/tmp/$m.table"
	dmsetup create "$m" --uuid "TEST-$m" --table "$(cat "/tmp/$m.table")" || fail "dmsetup create $m"
done
dmcombine create vm1 a=/dev/mapper/m1 b=/dev/mapper/m2 >/dev/null || fail "create vm1"
dmcombine remove vm1 || fail "remove vm1"

# ra ACTION [NAME=VALUE...]: the agent as Pacemaker runs it; its exit code
# in $rc, its stderr in /tmp/ra.err.
ra() {
	action=$1
	shift
	rc=0
	env OCF_RESOURCE_INSTANCE=dmc OCF_RESKEY_CRM_meta_interval=10000 \
		OCF_RESKEY_CRM_meta_timeout=60000 "$@" "$agent" "$action" >/tmp/ra.out 2>/tmp/ra.err || rc=$?
}
# expect CODE ACTION [NAME=VALUE...]: the agent exits CODE.
expect() {
	want=$1
	shift
	ra "$@"
	[ "$rc" -eq "$want" ] || fail "$*: exit $rc, not $want: $(cat /tmp/ra.err /tmp/ra.out)"
}

ocf-tester -n dmc -o name=vm1 "$agent" >/tmp/tester.out 2>&1 ||
	fail "ocf-tester: $(cat /tmp/tester.out)"
tail -n 1 /tmp/tester.out | grep -q "passed all tests" || fail "ocf-tester: $(cat /tmp/tester.out)"
# ocf-tester's last step is migrate_from: the device is running.
expect 0 monitor OCF_RESKEY_name=vm1
expect 0 stop OCF_RESKEY_name=vm1
expect 7 monitor OCF_RESKEY_name=vm1
expect 7 monitor OCF_RESKEY_name=vm1 OCF_RESKEY_CRM_meta_interval=0

# Idempotent start and stop; migrate_to changes nothing, migrate_from starts.
expect 0 start OCF_RESKEY_name=vm1
expect 0 start OCF_RESKEY_name=vm1
expect 0 monitor OCF_RESKEY_name=vm1
expect 0 migrate_to OCF_RESKEY_name=vm1 OCF_RESKEY_CRM_meta_migrate_target=node2
expect 0 monitor OCF_RESKEY_name=vm1
expect 0 stop OCF_RESKEY_name=vm1
expect 0 stop OCF_RESKEY_name=vm1
expect 0 migrate_from OCF_RESKEY_name=vm1 OCF_RESKEY_CRM_meta_migrate_source=node1
expect 0 monitor OCF_RESKEY_name=vm1

# A volume swapped for dm-error: failed, with the reason; back: running.
{ dmsetup load m2 --table "0 16384 error" && dmsetup resume m2; } || fail "swap m2 for error"
expect 1 monitor OCF_RESKEY_name=vm1
grep -q "vm1: volume device dm-[0-9]* fails reads" /tmp/ra.err || fail "reason: $(cat /tmp/ra.err)"
{ dmsetup load m2 --table "$(cat /tmp/m2.table)" && dmsetup resume m2; } || fail "swap m2 back"
expect 0 monitor OCF_RESKEY_name=vm1

# Held open (a VM still running on it): stop fails and says why.
sh -c 'exec 3</dev/mapper/vm1; sleep 60' &
pids="$pids $!"
sleep 1
expect 1 stop OCF_RESKEY_name=vm1
[ -s /tmp/ra.err ] || fail "stop of an open device gave no reason"
kill $!
wait $! 2>/dev/null || true
expect 0 stop OCF_RESKEY_name=vm1

# Another device under the name: failed, not running.
dmsetup create vm1 --table "$(cat /tmp/m1.table)" || fail "dmsetup create a foreign vm1"
expect 1 monitor OCF_RESKEY_name=vm1
grep -q "not this combined device" /tmp/ra.err || fail "foreign vm1: $(cat /tmp/ra.err)"
dmsetup remove vm1

# validate-all: misconfigured everywhere (6), missing on this node (5):
# there a probe says not running and stop succeeds.
expect 6 validate-all
expect 6 validate-all OCF_RESKEY_name='bad/name'
expect 6 validate-all OCF_RESKEY_name=vm1 OCF_RESKEY_export=fc
expect 6 validate-all OCF_RESKEY_name=vm1 OCF_RESKEY_export=iscsi
expect 6 validate-all OCF_RESKEY_name=vm1 OCF_RESKEY_portal=10.0.0.1
expect 0 validate-all OCF_RESKEY_name=vm1 OCF_RESKEY_export=iscsi OCF_RESKEY_portal=10.0.0.1 \
	OCF_RESKEY_initiators=iqn.2026-11.org.example:node1
expect 5 validate-all OCF_RESKEY_name=elsewhere
expect 5 start OCF_RESKEY_name=elsewhere
expect 7 monitor OCF_RESKEY_name=elsewhere OCF_RESKEY_CRM_meta_interval=0
expect 0 stop OCF_RESKEY_name=elsewhere
expect 3 promote OCF_RESKEY_name=vm1
meta=$("$agent" meta-data) || fail "meta-data failed"
echo "$meta" | (cd /usr/share/resource-agents && xmllint --noout --valid -) || fail "meta-data is not valid"

# With export=loopback: the SCSI disk comes and goes with the resource.
{ modprobe target_core_mod && modprobe tcm_loop; } || fail "cannot load LIO"
# (ocf-tester's whole round with LIO takes 40 s of TCG: these are its steps.)
expect 7 monitor OCF_RESKEY_name=vm1 OCF_RESKEY_export=loopback
expect 0 start OCF_RESKEY_name=vm1 OCF_RESKEY_export=loopback
dmcombine map vm1 | grep -q '^exported over loopback ' || fail "not exported: $(dmcombine map vm1)"
expect 0 start OCF_RESKEY_name=vm1 OCF_RESKEY_export=loopback
[ "$(dmcombine map vm1 | grep -c '^exported over')" -eq 1 ] || fail "exported twice: $(dmcombine map vm1)"
expect 0 monitor OCF_RESKEY_name=vm1 OCF_RESKEY_export=loopback
# Exported by the resource, then taken back behind its back: failed.
dmcombine unexport vm1 || fail "unexport"
expect 1 monitor OCF_RESKEY_name=vm1 OCF_RESKEY_export=loopback
grep -q "vm1 is not exported over loopback" /tmp/ra.err || fail "reason: $(cat /tmp/ra.err)"
expect 0 start OCF_RESKEY_name=vm1 OCF_RESKEY_export=loopback
expect 0 monitor OCF_RESKEY_name=vm1 OCF_RESKEY_export=loopback
expect 0 stop OCF_RESKEY_name=vm1 OCF_RESKEY_export=loopback
expect 7 monitor OCF_RESKEY_name=vm1 OCF_RESKEY_export=loopback
! dmcombine map vm1 | grep -q '^exported' || fail "still exported after stop"
for module in tcm_loop target_core_iblock target_core_mod; do
	[ ! -d "/sys/module/$module" ] || rmmod "$module" || fail "cannot unload $module"
done
