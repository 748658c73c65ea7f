#!/bin/sh
# Hostile input: file system labels from untrusted media (shell
# metacharacters, newlines, invalid UTF-8) never become IDs or reach a table
# line; symlinks planted in the registry are not followed; the default
# registry directory is root-only.
. /tests/lib.sh
. /tests/tool.sh
need_module

brd_load 3 4096

# refuse_label LABEL: a volume labelled LABEL needs an explicit ID.
refuse_label() {
	mke2fs -q -F -L "$1" /dev/ram0 >/dev/null 2>&1 || fail "mke2fs -L"
	rc=0
	dmc create vm /dev/ram0 2>/tmp/err || rc=$?
	[ "$rc" = 1 ] && [ "$(wc -l </tmp/err)" = 1 ] ||
		fail "label $(printf %s "$1" | od -c | head -n 1): exit $rc: $(cat /tmp/err)"
	no_trace vm
	dmc create vm --layout concat safe=/dev/ram0 || fail "explicit ID refused"
	[ "$(volume_field vm safe source)" = /dev/ram0 ] || fail "source changed"
	dmsetup table vm | grep -q '^0 8192 combine 0 1 8192 1:0 0$' ||
		fail "table line: $(dmsetup table vm)"
	dmc remove --forget vm
	echo "label refused: $(cat /tmp/err)"
}
refuse_label 'x;$(reboot)'
refuse_label "$(printf 'a\nb')"
refuse_label "$(printf '\377\376bad')"
refuse_label '../../etc'

# A tag whose value is hostile is only a value to look up.
rc=0
dmc create vm 'LABEL=$(reboot)' 2>/tmp/err || rc=$?
[ "$rc" = 1 ] || fail "hostile tag: exit $rc"
no_trace vm

# Symlinks planted in the registry directory are not followed.
echo '{}' >/tmp/victim
ln -s /tmp/victim "$config_dir/vm.json"
rc=0
dmc create vm /dev/ram1 2>/tmp/err || rc=$?
[ "$rc" = 1 ] || fail "create over a planted symlink: exit $rc"
[ "$(cat /tmp/victim)" = '{}' ] || fail "symlink target written"
dmc map vm 2>/tmp/err && fail "map followed a planted symlink"
! dmsetup info vm >/dev/null 2>&1 || fail "device made despite the symlink"
rm "$config_dir/vm.json"
echo "planted symlink: $(cat /tmp/err)"

# The default registry directory is made root-only.
mkdir -p /etc
dmcombine create vm /dev/ram2 || fail "create with the default registry"
[ "$(stat -c %a /etc/dmcombine)" = 700 ] ||
	fail "/etc/dmcombine has mode $(stat -c %a /etc/dmcombine)"
dmcombine remove --forget vm || fail "remove"
rmdir /etc/dmcombine
brd_unload
