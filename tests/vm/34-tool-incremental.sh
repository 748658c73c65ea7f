#!/bin/sh
# The tool's side of udev assembly, without udev: `member` names the device
# and volume a block device is (by path or by file system UUID), and
# `assemble --incremental` waits until the last volume is present, creates
# the device once, and exits 0 for devices that are waiting, active or
# nobody's, also when ten invocations race.
. /tests/lib.sh
. /tests/tool.sh
need_module

a=$(nullb_create inca 16 memory_backed=1)
b=$(nullb_create incb 16 memory_backed=1)
other=$(nullb_create incother 16 memory_backed=1)
mke2fs -q -L incb "$b" >/dev/null 2>&1 || fail "mke2fs"
dmc create vm1 a="$a" b="$b" || fail "create"
dmc map vm1 --json | jq -r '.volumes[].source' >/dev/null || fail "map"
dmc remove vm1 || fail "remove"

[ "$(dmc member "$a")" = "vm1 a" ] || fail "member $a: $(dmc member "$a")"
dmc member --udev "$b" >/tmp/props || fail "member --udev $b"
for want in ID_DMCOMBINE_MEMBER=1 DMCOMBINE_NAME=vm1 DMCOMBINE_VOLUME=b; do
	grep -qx "$want" /tmp/props || fail "member --udev $b: no $want in $(cat /tmp/props)"
done
[ -z "$(dmc member --udev "$other")" ] || fail "$other is nobody's volume"
# Through a symlink: saved paths are compared by device number too.
ln -s "$a" /tmp/link-a
[ "$(dmc member /tmp/link-a)" = "vm1 a" ] || fail "a by a link"

# b is away: a's event waits, b's return assembles.
echo 0 >/sys/kernel/config/nullb/incb/power
dmc assemble --incremental "$a" || fail "incremental with b away failed"
! dmsetup info vm1 >/dev/null 2>&1 || fail "assembled without b"
echo 1 >/sys/kernel/config/nullb/incb/power
dmc assemble --incremental "$b" || fail "incremental for the last volume failed"
dmsetup info vm1 >/dev/null 2>&1 || fail "not assembled when b came back"
dmc assemble --incremental "$a" || fail "incremental on an active device failed"
dmc assemble --incremental "$other" || fail "incremental on nobody's volume failed"

# Ten at once: every one exits 0, one device.
dmc remove vm1 || fail "remove"
pids=
for _ in 1 2 3 4 5; do
	dmc assemble --incremental "$a" & pids="$pids $!"
	dmc assemble --incremental "$b" & pids="$pids $!"
done
for pid in $pids; do
	wait "$pid" || fail "a racing assemble --incremental failed"
done
[ "$(dmsetup ls | grep -c '^vm1[[:space:]]')" = 1 ] || fail "devices: $(dmsetup ls)"

dmc remove vm1 --forget || fail "remove --forget"
for n in inca incb incother; do
	nullb_remove "$n"
done
rm -f /tmp/link-a
