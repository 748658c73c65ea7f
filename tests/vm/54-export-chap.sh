#!/bin/sh
# CHAP secrets: a password file that is a symbolic link, readable or
# writable by group or others, or not root's is refused with the reason
# and configfs stays as it was; after an export with CHAP, no file under
# the target's configfs tree shows the secret to a non-root reader.
. /tests/lib.sh
. /tests/tool.sh
. /tests/export.sh
need_module

iscsi_setup chap-secret-5417

# chap_refused WHY: export with /tmp/chap fails with WHY; nothing made.
chap_refused() {
	one_line dmc export vm1 --fabric iscsi --portal "$portal" --initiator "$allowed" \
		--chap-user guest --chap-password-file /tmp/chap | grep -q "$1" ||
		fail "CHAP file not refused for '$1': $(cat /tmp/one_line.err)"
	tree_is /tmp/tree.before "after a refused CHAP file ($1)"
	echo "refused: $(cat /tmp/one_line.err)"
}
echo "$secret" >/tmp/chap.real
chmod 600 /tmp/chap.real
ln -s /tmp/chap.real /tmp/chap
chap_refused "symbolic link"
rm /tmp/chap
cp /tmp/chap.real /tmp/chap
chmod 640 /tmp/chap
chap_refused "mode 0640"
chmod 602 /tmp/chap
chap_refused "mode 0602"
chmod 600 /tmp/chap
chown 65534 /tmp/chap
chap_refused "owned by uid 65534"
chown 0 /tmp/chap

dmc export vm1 --fabric iscsi --portal "$portal" --initiator "$allowed" \
	--chap-user guest --chap-password-file /tmp/chap >/dev/null || fail "export with CHAP failed"
auth=$lio/iscsi/iqn.2003-01.org.linux-iscsi.dmcombine:$uuid/tpgt_1/acls/$allowed/auth
[ "$(cat "$auth/password")" = "$secret" ] || fail "root reads no secret in $auth/password"
ls -ld "$auth" "$auth/password"
# Every file under the tree, as nobody: the secret never shows.
setpriv --reuid=65534 --regid=65534 --clear-groups \
	find "$lio" -type f -exec cat {} + >/tmp/as-nobody 2>/dev/null || true
[ -s /tmp/as-nobody ] || fail "nobody read nothing at all under $lio"
! grep -q "$secret" /tmp/as-nobody || fail "a non-root reader sees the CHAP secret"
setpriv --reuid=65534 --regid=65534 --clear-groups cat "$auth/password" >/dev/null 2>&1 &&
	fail "nobody reads $auth/password"
echo "CHAP secret: root's alone under $lio ($(wc -c </tmp/as-nobody) bytes readable by nobody, none of them the secret)"
dmc unexport vm1 || fail "unexport"
tree_is /tmp/tree.before "after unexport"
dmc remove --forget vm1 || fail "remove"
no_trace vm1
rm -f /tmp/chap /tmp/chap.real
lio_stop iscsi_target_mod
ip link set lo down
