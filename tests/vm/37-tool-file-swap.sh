#!/bin/sh
# Image files by descriptor (issue 12): the file is opened once, and that
# descriptor is probed and handed to the loop device. A shim
# (swap-preload.so) swaps the path for a symlink to a block device after
# the checks, just before the loop is attached: the loop is on the
# original file. assemble then refuses the symlink the saved path has
# become. Swapped between the tool's lstat and its open, the symlink is
# refused (O_NOFOLLOW) and nothing is made.
. /tests/lib.sh
. /tests/tool.sh
need_module
[ -e /tests/swap-preload.so ] || skip "no /tests/swap-preload.so (make vm-tools builds it)"

victim=$(nullb_create swapvictim 16 memory_backed=1)
stamp "$victim" 0 BLOCKDEVICE
image /tmp/img 4
printf '%-4096s' ORIGINALFILE | dd of=/tmp/img conv=notrunc 2>/dev/null || fail "write /tmp/img"

SWAP_PATH=/tmp/img SWAP_TARGET="$victim" LD_PRELOAD=/tests/swap-preload.so \
	dmc create vm --layout concat /tmp/img 2>/tmp/err || fail "create: $(cat /tmp/err)"
grep -q 'swap-preload: /tmp/img is now a symlink' /tmp/err || fail "no swap: $(cat /tmp/err)"
[ -L /tmp/img ] || fail "the shim did not swap"
[ "$(stamp_of /dev/mapper/vm 0)" = ORIGINALFILE ] ||
	fail "the combined device shows $(stamp_of /dev/mapper/vm 0)"
[ "$(stamp_of "$victim" 0)" = BLOCKDEVICE ] || fail "the block device was written"
losetup -a | grep -q '/tmp/img.orig' || fail "loop backing: $(losetup -a)"
[ "$(volume_field vm img identity_kind)" = file ] || fail "kind $(volume_field vm img identity_kind)"

# The saved path is now a symlink: assemble refuses it, nothing is made.
dmc remove vm || fail "remove"
rc=0
dmc assemble vm 2>/tmp/err || rc=$?
[ "$rc" = 1 ] && grep -q 'symlink' /tmp/err || fail "assemble over a symlink: exit $rc: $(cat /tmp/err)"
! dmsetup info vm >/dev/null 2>&1 || fail "assembled through the symlink"
[ -z "$(losetup -a)" ] || fail "loop left: $(losetup -a)"
echo "assemble: $(cat /tmp/err)"
# Given on the command line, a symlink is followed: the user named it.
rm /tmp/img
mv /tmp/img.orig /tmp/img
ln -s /tmp/img /tmp/img-link
dmc assemble vm || fail "assemble the original"
dmc remove --forget vm || fail "remove --forget"
dmc create vm2 --layout concat /tmp/img-link 2>/dev/null || fail "create through a given symlink"
[ "$(volume_field vm2 img-link identity)" = /tmp/img ] ||
	fail "saved as $(volume_field vm2 img-link identity)"
dmc remove --forget vm2 || fail "remove vm2"
rm -f /tmp/img-link

# Swapped between the check (lstat) and the open: refused, nothing made.
SWAP_AT=lstat SWAP_PATH=/tmp/img SWAP_TARGET="$victim" LD_PRELOAD=/tests/swap-preload.so \
	dmc create vm3 --layout concat /tmp/img 2>/tmp/err && fail "create through a swapped path"
grep -q 'swap-preload: /tmp/img is now a symlink' /tmp/err || fail "no swap: $(cat /tmp/err)"
grep -q 'became a symlink while it was checked' /tmp/err || fail "message: $(cat /tmp/err)"
no_trace vm3
echo "lstat window: $(grep -v swap-preload /tmp/err)"
rm -f /tmp/img /tmp/img.orig
nullb_remove swapvictim
