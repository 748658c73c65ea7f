#!/bin/sh
# dmcombine export --fabric iscsi, to the guest's own open-iscsi initiator
# over 127.0.0.1: the initiator in the ACL logs in and reads the combined
# device's bytes; another initiator name is refused (no demo mode); with
# CHAP, the right secret logs in.  A portal that cannot be bound fails
# the export with one line and configfs as it was; unexport leaves
# configfs as it was.
. /tests/lib.sh
. /tests/tool.sh
. /tests/export.sh
need_module

allowed=iqn.2025-01.org.dmcombine.test:allowed
denied=iqn.2025-01.org.dmcombine.test:denied
portal=127.0.0.1:3260

export_setup
iqn=iqn.2003-01.org.linux-iscsi.dmcombine:$uuid
size=$(sectors_of /dev/mapper/vm1)

# Nothing of a failed export stays: the portal fails last but one, its
# port taken by another listener, after backstore, target and LUN.
nc -l -p 3261 </dev/null >/dev/null 2>&1 &
nc_pid=$!
sleep 1
one_line dmc export vm1 --fabric iscsi --portal 127.0.0.1:3261 --initiator "$allowed" |
	grep -q "^dmcombine: 127.0.0.1:3261: LIO cannot listen there" ||
	fail "busy portal: $(cat /tmp/one_line.err)"
kill "$nc_pid"
wait "$nc_pid" 2>/dev/null || true
tree_is /tmp/tree.before "after a failed export"
one_line dmc export vm1 --fabric iscsi --initiator "$allowed" | grep -q -- --portal ||
	fail "export without --portal: $(cat /tmp/one_line.err)"
one_line dmc export vm1 --fabric iscsi --portal 0.0.0.0 --initiator "$allowed" >/dev/null
one_line dmc export vm1 --fabric iscsi --portal "$portal" --initiator "$allowed" \
	--initiator "$allowed" >/dev/null
one_line dmc export vm1 --portal "$portal" >/dev/null
tree_is /tmp/tree.before "after a refused export"

dmc export vm1 --fabric iscsi --portal "$portal" --initiator "$allowed" >/tmp/out ||
	fail "export --fabric iscsi failed"
[ "$(cat /tmp/out)" = "$iqn on $portal, LUN 0" ] || fail "export printed $(cat /tmp/out)"
dmc map vm1 --json | jq -e --arg w "$iqn" --arg p "$portal" '
	.exports == [{fabric: "iscsi", wwn: $w, disk: null, portal: $p, initiators: 1}]' >/dev/null ||
	fail "map --json exports: $(dmc map vm1 --json | jq -c .exports)"

# open-iscsi: iscsid in the foreground, one interface per initiator name;
# iscsid wants 127.0.0.1 up and root in /etc/passwd (it checks its peer).
ip link set lo up
passwd=
[ -e /etc/passwd ] || { echo root:x:0:0:root:/:/bin/sh >/etc/passwd && passwd=/etc/passwd; }
# The initiator's disks need sd, which udev would load.
modprobe sd_mod || fail "cannot load sd_mod"
mkdir -p /etc/iscsi /var/lib/iscsi /run/lock/iscsi
echo "InitiatorName=$denied" >/etc/iscsi/initiatorname.iscsi
: >/etc/iscsi/iscsid.conf
# Its own session: stopping, iscsid signals its whole process group.
setsid iscsid -f >/tmp/iscsid.log 2>&1 &
iscsid_pid=$!
for name in allowed denied; do
	iscsiadm -m iface -I "$name" -o new >/dev/null || fail "iface $name"
	iscsiadm -m iface -I "$name" -o update -n iface.initiatorname \
		-v "iqn.2025-01.org.dmcombine.test:$name" >/dev/null || fail "iface $name name"
done
iscsiadm -m discovery -t sendtargets -p "$portal" -I allowed >/tmp/discovery ||
	fail "discovery failed: $(cat /tmp/iscsid.log)"
grep -q " $iqn\$" /tmp/discovery || fail "discovery: $(cat /tmp/discovery)"

# session_disk: the disk of the one iSCSI session, once the scan made it
# and it opens (7.3 shows it in sysfs while opening it still gives ENXIO).
session_disk() {
	for i in $(seq 100); do
		for block in /sys/class/iscsi_session/session*/device/target*/*/block/*; do
			[ -e "$block" ] && blockdev --getsz "/dev/${block##*/}" >/dev/null 2>&1 &&
				echo "/dev/${block##*/}" && return
		done
		sleep 0.2
	done
	fail "no disk in the iSCSI session"
}

iscsiadm -m node -T "$iqn" -p "$portal" -I allowed --login >/dev/null ||
	fail "login of the allowed initiator failed: $(tail -n 3 /tmp/iscsid.log)"
disk=$(session_disk)
[ "$(sectors_of "$disk")" = "$size" ] || fail "$disk has $(sectors_of "$disk") sectors, vm1 $size"
[ "$(md5_range "$disk" 0 "$size")" = "$(md5_range /dev/mapper/vm1 0 "$size")" ] ||
	fail "$disk and vm1 differ"
iscsiadm -m node -T "$iqn" -p "$portal" -I allowed --logout >/dev/null || fail "logout failed"

iscsiadm -m node -T "$iqn" -p "$portal" -I denied -o new >/dev/null || fail "node for denied"
if iscsiadm -m node -T "$iqn" -p "$portal" -I denied --login >/tmp/denied 2>&1; then
	fail "the initiator without an ACL logged in"
fi
[ ! -d /sys/class/iscsi_session ] || [ -z "$(ls /sys/class/iscsi_session)" ] ||
	fail "a session is left: $(ls /sys/class/iscsi_session)"

# CHAP: export again with a secret; the initiator with it logs in.
dmc unexport vm1 || fail "unexport failed"
# The password file must be root's alone (54-export-chap tests the refusals).
echo chap-secret-1234 >/tmp/secret
chmod 600 /tmp/secret
dmc export vm1 --fabric iscsi --portal "$portal" --initiator "$allowed" \
	--chap-user guest --chap-password-file /tmp/secret >/dev/null || fail "export with CHAP failed"
if iscsiadm -m node -T "$iqn" -p "$portal" -I allowed --login >/dev/null 2>&1; then
	fail "login without the CHAP secret succeeded"
fi
for setting in node.session.auth.authmethod=CHAP node.session.auth.username=guest \
		node.session.auth.password=chap-secret-1234; do
	iscsiadm -m node -T "$iqn" -p "$portal" -I allowed -o update \
		-n "${setting%%=*}" -v "${setting#*=}" >/dev/null || fail "set $setting"
done
iscsiadm -m node -T "$iqn" -p "$portal" -I allowed --login >/dev/null ||
	fail "login with CHAP failed: $(tail -n 3 /tmp/iscsid.log)"
disk=$(session_disk)
[ "$(md5_range "$disk" 0 "$size")" = "$(md5_range /dev/mapper/vm1 0 "$size")" ] ||
	fail "$disk and vm1 differ (CHAP)"

# Unexport with the session logged in: LIO ends it; configfs as before.
dmc unexport vm1 || fail "unexport with a session failed"
iscsiadm -m node -T "$iqn" -p "$portal" -I allowed --logout >/dev/null 2>&1 || true
iscsiadm -m node -o delete >/dev/null 2>&1 || true
tree_is /tmp/tree.before "after unexport"
kill "$iscsid_pid" 2>/dev/null || true
wait "$iscsid_pid" 2>/dev/null || true
dmc remove --forget vm1 || fail "remove failed"
no_trace vm1
for module in iscsi_tcp libiscsi_tcp libiscsi scsi_transport_iscsi; do
	[ ! -d "/sys/module/$module" ] || rmmod "$module" || fail "cannot unload $module"
done
lio_stop iscsi_target_mod
rm -rf /etc/iscsi /var/lib/iscsi /run/lock/iscsi /tmp/secret $passwd
ip link set lo down
