#!/bin/sh
# Every refusal of the contract: one line on stderr, exit 1 (2 for bad
# usage), and no trace: no dm device, loop device or registry entry.
. /tests/lib.sh
. /tests/tool.sh
need_module

brd_load 3 8192
image /tmp/a.img 4
: >/tmp/empty.img
dd if=/dev/zero of=/tmp/odd.img bs=1024 count=6 2>/dev/null	# 12 sectors
d4=$(nullb_create refuse4k 16 blocksize=4096 memory_backed=1)
mkdir /tmp/mnt

# refuse WANT_EXIT NAME WHAT ARG...: dmcombine ARG... exits WANT_EXIT with
# one line on stderr and leaves nothing of NAME behind.
refuse() {
	want=$1 name=$2 what=$3
	shift 3
	rc=0
	dmc "$@" 2>/tmp/err >/dev/null || rc=$?
	[ "$rc" = "$want" ] || fail "$what: exit $rc, want $want ($(cat /tmp/err))"
	[ "$(wc -l </tmp/err)" = 1 ] || fail "$what: stderr is not one line: $(cat /tmp/err)"
	if [ "$want" = 1 ]; then
		grep -q '^dmcombine: ' /tmp/err || fail "$what: $(cat /tmp/err)"
	fi
	no_trace "$name"
	echo "$what: $(cat /tmp/err)"
}

refuse 1 bad "missing volume" create bad /dev/ram0 /dev/nonexistent
refuse 1 bad "not a block device" create bad /dev/ram0 /dev/null
refuse 1 bad "directory" create bad /dev/ram0 /tmp
refuse 1 bad "listed twice" create bad /dev/ram0 /dev/ram0
refuse 1 bad "same file twice" create bad /tmp/a.img x=/tmp/a.img
refuse 1 bad "zero size" create bad /dev/ram0 /tmp/empty.img
refuse 1 bad "not a multiple of 4096" create bad "$d4" /tmp/odd.img
refuse 1 bad "unknown tag" create bad LABEL=no-such-label
refuse 1 bad "bad ID" create bad 'a b=/dev/ram0'
refuse 1 bad "ID with a slash" create bad '../x=/dev/ram0'
refuse 1 bad "duplicate ID" create bad v=/dev/ram0 v=/dev/ram1
refuse 1 bad "ID too long for a GPT name" create bad a234567890123456789012345678901234567=/dev/ram0
refuse 2 bad "unknown layout" create --layout raid0 bad /dev/ram0
refuse 1 'bad;x' "bad NAME" create 'bad;x' /dev/ram0
refuse 2 bad "unknown verb" frobnicate bad
refuse 2 bad "unknown option" create --frob bad /dev/ram0
refuse 2 bad "missing volumes" create bad
refuse 1 nope "unknown NAME" map nope
refuse 1 nope "unknown NAME for add" add nope /dev/ram2

mke2fs -q /dev/ram2 >/dev/null 2>&1
modprobe ext4
mount /dev/ram2 /tmp/mnt || fail "mount"
refuse 1 bad "mounted volume" create bad /dev/ram0 /dev/ram2
umount /tmp/mnt

dmc create vm1 /dev/ram0 || fail "create vm1"
refuse 1 bad "member of another device" create bad /dev/ram1 /dev/ram0
refuse 1 bad "the combined device itself" create bad /dev/mapper/vm1
dmsetup create stacked --table "0 16 linear /dev/mapper/vm1 0"
refuse 1 bad "stacked on the combined device" create bad /dev/mapper/stacked
dmsetup remove stacked
rc=0
dmc create vm1 /dev/ram1 2>/tmp/err || rc=$?
[ "$rc" = 1 ] || fail "existing NAME: exit $rc"
dmc drop vm1 nosuchid 2>/tmp/err && fail "unknown ID accepted"
dmc map vm1 --json | jq -e '.volumes | length == 1' >/dev/null ||
	fail "vm1 changed by refusals"
dmc remove --forget vm1
no_trace vm1

# Not root: nothing changes.
rc=0
setpriv --reuid=65534 --regid=65534 --clear-groups dmcombine --config-dir "$config_dir" create bad \
	/dev/ram0 2>/tmp/err || rc=$?
[ "$rc" = 1 ] && grep -q root /tmp/err || fail "non-root: exit $rc: $(cat /tmp/err)"
no_trace bad

# The lock: nobody can hold it or plant a link, root's own holder only
# delays others by --wait and is named.
mkdir -p /run/lock
chmod 1777 /run/lock
setpriv --reuid=65534 --regid=65534 --clear-groups \
	flock /run/lock/dmcombine.lock sleep 60 &
nobody_pid=$!
dmc list >/dev/null || fail "list with the old lock path held by nobody"
setpriv --reuid=65534 --regid=65534 --clear-groups flock -n /run/dmcombine/lock true 2>/dev/null &&
	fail "nobody took /run/dmcombine/lock"
kill "$nobody_pid"
wait "$nobody_pid" 2>/dev/null || true
[ "$(stat -c %a:%u /run/dmcombine)" = 700:0 ] || fail "/run/dmcombine is $(stat -c %a:%u /run/dmcombine)"
flock /run/dmcombine/lock sleep 60 &
holder=$!
sleep 1
start=$(date +%s)
refuse 1 bad "lock held" --wait 2 create bad /dev/ram0
grep -q "held by pid [0-9]* (sleep)\|held by pid [0-9]* (flock)" /tmp/err || fail "holder not named: $(cat /tmp/err)"
[ $(($(date +%s) - start)) -lt 10 ] || fail "waited $(($(date +%s) - start)) s for --wait 2"
# udev's RUN: assemble --incremental gives up after its 10 s by default.
start=$(date +%s)
rc=0
dmc assemble --incremental /dev/ram0 2>/tmp/err || rc=$?
waited=$(($(date +%s) - start))
[ "$rc" = 1 ] && grep -q "gave up after 10 s" /tmp/err && [ "$waited" -ge 9 ] && [ "$waited" -lt 20 ] ||
	fail "assemble --incremental behind a held lock: exit $rc after $waited s: $(cat /tmp/err)"
kill "$holder"
wait "$holder" 2>/dev/null || true
chmod 755 /run/dmcombine
refuse 1 bad "lock directory open to others" create bad /dev/ram0
grep -q "mode 0755" /tmp/err || fail "mode not named: $(cat /tmp/err)"
rm -r /run/dmcombine
mkdir /tmp/planted
ln -s /tmp/planted /run/dmcombine
refuse 1 bad "lock directory a symbolic link" create bad /dev/ram0
[ -z "$(ls /tmp/planted)" ] || fail "the tool followed the planted link: $(ls /tmp/planted)"
rm /run/dmcombine
dmc list >/dev/null || fail "list after the lock directory went"

nullb_remove refuse4k
brd_unload
