#!/bin/sh
# The libvirt qemu hook driven as libvirtd runs it: arguments, domain XML on
# stdin (disks from `dmcombine xml`, unchanged). A domain of two combined
# disks and two ordinary ones (a dm device that is no saved map, an image
# file): prepare assembles both combined devices and nothing else, start and
# started change nothing, release removes them; a device another domain
# uses (through /dev/disk/by-dmcombine/NAME) or something holds open is
# kept; migrate checks the maps without assembling, prepare on the
# destination assembles; a failing prepare leaves nothing; a domain without
# a combined device costs nothing (no lock, no tool, no dmsetup); a device
# active before the domain started is left as it was; malformed
# XML and a held lock fail cleanly within the hook's bounds; messages reach
# syslog; nothing is ever printed on stdout (libvirt would take it for XML).
. /tests/lib.sh
need_module

hook=/etc/libvirt/hooks/qemu.d/dmcombine
[ -x "$hook" ] || fail "no $hook in the image"
users=/run/dmcombine/libvirt
# The hook works on the host's registry, as under libvirtd.
[ ! -e /etc/dmcombine ] || fail "/etc/dmcombine exists before the test"
# Background holders of locks and devices, and syslogd.
pids=
cleanup() {
	[ ! -d /tmp/hidden ] || mv /tmp/hidden/* /usr/local/bin/ 2>/dev/null || true
	# shellcheck disable=SC2086 # a list of pids
	[ -z "$pids" ] || kill $pids 2>/dev/null || true
	sleep 1
	for name in vm-data vm-logs vm-spare; do
		dmcombine -q remove --forget "$name" >/dev/null 2>&1 || true
	done
	dmsetup remove plain >/dev/null 2>&1 || true
	losetup -D
	rm -rf /etc/dmcombine "$users"
}
trap cleanup EXIT

syslogd -n -O /tmp/syslog &
pids=$!
# in_syslog TEXT: TEXT reaches syslog within 5 s.
in_syslog() {
	for try in 1 2 3 4 5 6 7 8 9 10; do
		! grep -qF "$1" /tmp/syslog 2>/dev/null || return 0
		sleep 0.5
	done
	fail "not in syslog after $try tries: $1; syslog: $(cat /tmp/syslog)"
}
# hold CMD...: CMD in the background; its pid in $held.
hold() {
	"$@" &
	held=$!
	pids="$pids $held"
	sleep 1
}
# hold_lock FILE: a process holding flock FILE itself, so that killing it
# lets go.
hold_lock() {
	# shellcheck disable=SC2016 # expanded by the inner sh
	hold sh -c 'exec 9>"$1" && flock -x 9 && exec sleep 120' sh "$1"
}
release_held() {
	kill "$held"
	wait "$held" 2>/dev/null || true
}
for f in a b c d plain disk; do
	dd if=/dev/zero of="/tmp/$f.img" bs=1M count=0 seek=8 2>/dev/null
done
dmcombine create vm-data a=/tmp/a.img b=/tmp/b.img >/dev/null || fail "create vm-data"
dmcombine create vm-logs c=/tmp/c.img >/dev/null || fail "create vm-logs"
dmcombine create vm-spare d=/tmp/d.img >/dev/null || fail "create vm-spare"
for name in vm-data vm-logs vm-spare; do
	dmcombine remove "$name" || fail "remove $name"
done
plain_loop=$(losetup -f --show /tmp/plain.img)
dmsetup create plain --table "0 16384 linear $plain_loop 0" || fail "dmsetup create plain"

# domain NAME UUID DISKS: a domain's XML as libvirt formats it.
domain() {
	cat <<EOT
<domain type='kvm'>
  <name>$1</name>
  <uuid>$2</uuid>
  <memory unit='KiB'>1048576</memory>
  <os>
    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
  </os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
$3
    <controller type='scsi' index='0' model='virtio-scsi'/>
  </devices>
</domain>
EOT
}
ordinary="    <disk type='block' device='disk'>
      <driver name='qemu' type='raw'/>
      <source dev='/dev/mapper/plain'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='/tmp/disk.img'/>
      <target dev='vdb' bus='virtio'/>
    </disk>"
web_uuid=c7a5fdbd-edaf-9455-926a-d65c16db1809
db_uuid=0d9e3f52-6c1b-4b7e-9a4f-2f0c1e5d7a10
domain web "$web_uuid" "$ordinary
$(dmcombine xml vm-data --target-dev sda)
$(dmcombine xml vm-logs --target-dev sdb)" >/tmp/web.xml || fail "xml"
domain db "$db_uuid" "    <disk type='block' device='disk'>
      <source dev='/dev/disk/by-dmcombine/vm-logs'/>
      <target dev='sda' bus='scsi'/>
    </disk>" >/tmp/db.xml
domain plain 5b0c6a4e-1f7d-4c2a-8e3b-9d4f6a7b8c9d "$ordinary" >/tmp/plain.xml

# run DOMAIN OP XMLFILE: the hook as libvirtd runs it; stdout must be empty.
run() {
	"$hook" "$1" "$2" "$3" - <"$4" >/tmp/hook.out 2>/tmp/hook.err
	rc=$?
	[ ! -s /tmp/hook.out ] || fail "$1 $2: stdout not empty: $(cat /tmp/hook.out)"
	return "$rc"
}
active() {
	dmsetup info "$1" >/dev/null 2>&1
}
is_active() {
	for name in "$@"; do
		active "$name" || fail "$name not active: $(cat /tmp/hook.err)"
		dmcombine status "$name" >/dev/null || fail "$name: status fails"
	done
}
not_active() {
	for name in "$@"; do
		! active "$name" || fail "$name still active: $(cat /tmp/hook.err)"
	done
}

# No combined device: no lock taken or waited for, neither the tool nor
# dmsetup run (both hidden), nothing made in /run.
mkdir -m 0700 /run/dmcombine 2>/dev/null || true
hold_lock /run/dmcombine/lock
mkdir /tmp/hidden
mv /usr/local/bin/dmcombine /usr/local/bin/dmsetup /tmp/hidden/
start=$(date +%s)
for op in prepare start started stopped release; do
	run plain "$op" begin /tmp/plain.xml || fail "plain $op: $(cat /tmp/hook.err)"
done
[ $(($(date +%s) - start)) -le 3 ] || fail "a domain without a combined device took $(($(date +%s) - start)) s"
[ ! -e "$users" ] || fail "$users made for a domain without a combined device"
mv /tmp/hidden/* /usr/local/bin/
rmdir /tmp/hidden
release_held

# prepare: both combined devices, nothing else; start and started: nothing.
run web prepare begin /tmp/web.xml || fail "web prepare: $(cat /tmp/hook.err)"
is_active vm-data vm-logs
not_active vm-spare
[ "$(dmsetup table plain)" = "0 16384 linear $(devnum "$plain_loop") 0" ] || fail "plain changed"
[ "$(cat "$users/vm-data/$web_uuid")" = web ] || fail "web not recorded as user of vm-data"
for op in start started; do
	run web "$op" begin /tmp/web.xml || fail "web $op: $(cat /tmp/hook.err)"
done
run web prepare begin /tmp/web.xml || fail "web prepare again: $(cat /tmp/hook.err)"

# db shares vm-logs; releasing web keeps it, releasing db removes it.
run db prepare begin /tmp/db.xml || fail "db prepare: $(cat /tmp/hook.err)"
run web stopped end /tmp/web.xml || fail "web stopped"
is_active vm-data
run web release end /tmp/web.xml || fail "web release: $(cat /tmp/hook.err)"
not_active vm-data
is_active vm-logs
in_syslog "dmcombine-hook: web: vm-logs: kept, used by db"
run db release end /tmp/db.xml || fail "db release: $(cat /tmp/hook.err)"
not_active vm-logs
# Only the lock and the empty directory of markers are left.
# shellcheck disable=SC2012 # names without spaces
[ "$(ls -A "$users" | tr '\n' ' ')" = ".assembled .lock " ] || fail "records left: $(ls -RA "$users")"
[ -z "$(ls -A "$users/.assembled")" ] || fail "markers left: $(ls -A "$users/.assembled")"

# Held open outside any domain the hook knows (a mount, an export, a
# backup reading it): kept, and said so.
run web prepare begin /tmp/web.xml || fail "web prepare 2"
hold sh -c 'exec 3</dev/mapper/vm-data; sleep 60'
run web release end /tmp/web.xml || fail "web release 2: $(cat /tmp/hook.err)"
is_active vm-data
not_active vm-logs
in_syslog "web: vm-data: kept, held open 1 times"
release_held
run web release end /tmp/web.xml || fail "web release 3"
not_active vm-data

# Active before the domain started (assembled by hand, by Pacemaker, at
# boot): left to whoever assembled it.
dmcombine assemble vm-data || fail "assemble vm-data by hand"
run web prepare begin /tmp/web.xml || fail "web prepare 4"
run web release end /tmp/web.xml || fail "web release 4: $(cat /tmp/hook.err)"
is_active vm-data
not_active vm-logs
in_syslog "web: vm-data: kept, it was active before a domain using it started"
dmcombine remove vm-data || fail "remove vm-data by hand"

# Incoming migration: migrate checks and assembles nothing (libvirt may
# still refuse the migration before prepare, which would leave the devices
# with no release to come); prepare on the destination assembles.
run web migrate begin /tmp/web.xml || fail "web migrate: $(cat /tmp/hook.err)"
not_active vm-data vm-logs
run web restore begin /tmp/web.xml || fail "web restore: $(cat /tmp/hook.err)"
not_active vm-data vm-logs
run web prepare begin /tmp/web.xml || fail "web prepare after migrate: $(cat /tmp/hook.err)"
is_active vm-data vm-logs
run web release end /tmp/web.xml || fail "web release after migrate"
not_active vm-data vm-logs
domain ghost 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d "    <disk type='block' device='disk'>
      <source dev='/dev/disk/by-dmcombine/nowhere'/>
      <target dev='sda' bus='scsi'/>
    </disk>" >/tmp/ghost.xml
! run ghost migrate begin /tmp/ghost.xml || fail "migrate of a domain whose map is missing succeeded"
grep -q "nowhere: no saved map on this host" /tmp/hook.err || fail "migrate: $(cat /tmp/hook.err)"

# A volume missing: prepare fails with the tool's reason, assembles nothing
# it keeps, records nothing.
mv /tmp/d.img /tmp/d.away
domain broken 1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9 "$(dmcombine xml vm-data --target-dev sda)
$(dmcombine xml vm-spare --target-dev sdb)" >/tmp/broken.xml
! run broken prepare begin /tmp/broken.xml || fail "prepare with a missing volume succeeded"
grep -q "dmcombine-hook: broken: vm-spare: not assembled, the domain does not start: .*d.img" /tmp/hook.err ||
	fail "prepare failure: $(cat /tmp/hook.err)"
not_active vm-data vm-spare
[ ! -e "$users/vm-data" ] || fail "record of a failed prepare left"
run broken release end /tmp/broken.xml || fail "release after a failed prepare: $(cat /tmp/hook.err)"
mv /tmp/d.away /tmp/d.img

# Malformed XML naming a combined device, or XML that is no domain: exit 1,
# one line, nothing done.
sed '/vm-data/q' /tmp/web.xml >/tmp/cut.xml
echo "<disk><source dev='/dev/mapper/vm-data'/></disk>" >/tmp/nodomain.xml
for xml in cut nodomain; do
	for op in prepare release; do
		! run web "$op" begin "/tmp/$xml.xml" || fail "$op of $xml.xml succeeded"
		[ "$(wc -l </tmp/hook.err)" -eq 1 ] || fail "$op of $xml.xml: $(cat /tmp/hook.err)"
		grep -q "^dmcombine-hook: web: the domain XML on stdin is not a libvirt domain" /tmp/hook.err ||
			fail "$op of $xml.xml: $(cat /tmp/hook.err)"
	done
done
not_active vm-data vm-logs

# Another hook holding the lock: prepare gives up within its 10 s.
hold_lock "$users/.lock"
start=$(date +%s)
! run web prepare begin /tmp/web.xml || fail "prepare under a held lock succeeded"
took=$(($(date +%s) - start))
if [ "$took" -lt 9 ] || [ "$took" -gt 15 ]; then
	fail "gave up after $took s, not 10"
fi
grep -q "another dmcombine hook held $users/.lock for 10 s" /tmp/hook.err || fail "lock: $(cat /tmp/hook.err)"
not_active vm-data vm-logs
release_held
in_syslog "dmcombine-hook: web: vm-data: removed"
