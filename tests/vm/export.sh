# Helpers for guest tests of dmcombine export (sourced after tool.sh).

lio=/sys/kernel/config/target

# A test that fails midway leaves vm1 exported, held open by LIO, where
# /init's clean-up cannot remove it: unexport first, whatever happened.
trap 'dmc -q unexport vm1 >/dev/null 2>&1 || true' EXIT

# lio_tree: LIO's configfs tree, one path a line, to compare before and
# after (LIO's own default directories and attributes included).
lio_tree() {
	find "$lio" | sort
}

# lio_start: load the target core and keep LIO's tree as it is before any
# export in /tmp/tree.before.
lio_start() {
	modprobe target_core_mod || fail "cannot load target_core_mod"
	[ -d "$lio" ] || fail "no $lio"
	lio_tree >/tmp/tree.before
}

# tree_is FILE WHEN: LIO's tree is the one in FILE, else fail saying WHEN.
tree_is() {
	lio_tree | cmp -s - "$1" || {
		lio_tree | diff "$1" - | head -n 20 >&2
		fail "configfs differs $2"
	}
}

# export_setup: lio_start, then vm1 of three volumes; sets uuid and hex
# (the UUID without dashes).
export_setup() {
	lio_start
	three_volumes vm1
	uuid=$(dmc map vm1 --json | jq -r .uuid)
	hex=$(echo "$uuid" | tr -d -)
}

# iscsi_setup SECRET: export_setup for exports over iSCSI to this guest:
# sets allowed (the initiator name for the ACL), portal (on 127.0.0.1, which
# it brings up) and secret (SECRET, the CHAP password).
iscsi_setup() {
	allowed=iqn.2025-01.org.dmcombine.test:allowed
	portal=127.0.0.1:3260
	secret=$1
	export_setup
	ip link set lo up
}

# lio_stop MODULE...: unload the fabric modules named and the target core,
# which the export loaded; a module that will not go is a leftover.
lio_stop() {
	for module in "$@" target_core_iblock target_core_mod; do
		[ ! -d "/sys/module/$module" ] || rmmod "$module" ||
			fail "cannot unload $module"
	done
}

# three_volumes NAME: NAME combined from three image files with ext2 file
# systems alpha (8 MiB), beta and gamma (4 MiB each), a file on each.
three_volumes() {
	for v in alpha:8 beta:4 gamma:4; do
		image "/tmp/${v%:*}.img" "${v#*:}" "${v%:*}"
	done
	dmc create "$1" /tmp/alpha.img /tmp/beta.img /tmp/gamma.img || fail "create $1"
}

# gpt_layout: whether this dmcombine has the gpt layout (one partition per
# volume on the combined device); skip otherwise.
need_gpt_layout() {
	dmcombine create --help | grep -q gpt ||
		skip "no gpt layout in this dmcombine (create --help: $(dmcombine create --help | head -n 1))"
}

# one_line CMD...: CMD fails with exactly one line on stderr.
one_line() {
	if "$@" >/tmp/one_line.out 2>/tmp/one_line.err; then
		fail "$* succeeded"
	fi
	[ "$(wc -l </tmp/one_line.err)" -eq 1 ] ||
		fail "$*: not one line on stderr: $(cat /tmp/one_line.err)"
	cat /tmp/one_line.err
}
