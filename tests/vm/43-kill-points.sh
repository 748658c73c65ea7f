#!/bin/sh
# kill -9 at every step boundary of create, add, drop, export and remove
# (the DMCOMBINE_TEST_STOP hook, dmcombine(8) TEST HOOK), not at random:
# after the documented recovery (assemble, remove, unexport, or the next
# command finishing an add or drop) the live table, the registry, the loop
# devices and LIO's configfs agree,
# and nothing leaks. Also a device a kill inside create left without a
# live table, and a backstore an old tool enabled before its serial.
. /tests/lib.sh
. /tests/tool.sh
. /tests/export.sh
need_module

brd_load 3 4096
image /tmp/f.img 2
image /tmp/g.img 2
lio_start

# agree NAME: NAME's live table is its saved map (no loaded table beside
# it); without a map there is no device; every loop device is held by a
# dm table.
agree() {
	if [ -e "$config_dir/$1.json" ] && dmsetup info "$1" >/dev/null 2>&1; then
		dmc -q map "$1" >/dev/null 2>/tmp/agree.err ||
			fail "$1: $(cat /tmp/agree.err): kernel $(dmsetup table "$1")"
		dmsetup info "$1" | grep -q 'Tables present: *LIVE$' ||
			fail "$1: $(dmsetup info "$1" | grep Tables)"
	elif dmsetup info "$1" >/dev/null 2>&1; then
		fail "$1: a device without a map"
	fi
	[ ! -e "$config_dir/.$1.json.pending" ] || fail "$1: a pending map left"
	loops_held
}

# create: before the save nothing is left; after it, a registered
# inactive device that assemble makes and remove --forget forgets.
killed_at loops-attached dmc create vm a=/dev/ram0 f=/tmp/f.img
no_trace vm
killed_at registry-saved dmc create vm a=/dev/ram0 f=/tmp/f.img
! dmsetup info vm >/dev/null 2>&1 || fail "device made before the registry-saved stop"
agree vm
dmc -q assemble vm || fail "assemble after a killed create"
agree vm
dmc -q remove --forget vm || fail "remove --forget after a killed create"
no_trace vm
killed_at registry-saved dmc create vm a=/dev/ram0 f=/tmp/f.img
dmc -q remove --forget vm || fail "remove --forget of a killed create"
no_trace vm
echo "create: killed at loops-attached and registry-saved, recovered"

# A kill inside libdevmapper's create: the device exists (our DM UUID)
# with no table, or with a loaded one only. assemble replaces it.
dmc -q create vm a=/dev/ram0 f=/tmp/f.img || fail "create"
uuid=$(jq -r .uuid "$config_dir/vm.json")
dmc -q remove vm || fail "remove"
dmsetup create --notable -u "DMCOMBINE-$uuid" vm || fail "dmsetup create --notable"
dmc -q assemble vm || fail "assemble over a device without a table"
agree vm
dmc -q remove vm || fail "remove"
dmsetup create --notable -u "DMCOMBINE-$uuid" vm || fail "dmsetup create --notable"
dmsetup load vm --table "0 8 zero" || fail "dmsetup load"
dmc -q assemble vm || fail "assemble over a device with only a loaded table"
agree vm
dmc -q remove vm || fail "remove"
dmsetup create --notable -u "DMCOMBINE-$uuid" vm || fail "dmsetup create --notable"
dmc -q remove vm || fail "remove of a device without a table"
! dmsetup info vm >/dev/null 2>&1 || fail "remove left the device without a table"
dmc -q assemble vm || fail "assemble"
echo "create: a device left without a live table is replaced by assemble, removed by remove"

# add and drop, with the device held open as a VM holds it (so remove is
# no way out): a kill before the resume leaves the old table live and the
# next command discards the pending map (and clears a loaded table); a
# kill after it leaves the new table live beside the pending map, and the
# next command of any kind finishes the change.
pending=$config_dir/.vm.json.pending
has_volume() {
	jq -e --arg id "$1" '.regions[] | select(.id == $id)' "$config_dir/vm.json" >/dev/null
}
# finished_by CMD...: CMD settles a kill after the resume, saying so.
finished_by() {
	[ -e "$pending" ] || fail "no pending map after a kill at table-resumed"
	dmc "$@" >/dev/null 2>/tmp/finish.err || fail "$* after a kill at table-resumed: $(cat /tmp/finish.err)"
	grep -q "vm: finished an interrupted change of its map" /tmp/finish.err ||
		fail "$* did not say it finished the change: $(cat /tmp/finish.err)"
	agree vm
}
stamp /dev/mapper/vm 2048 kept
exec 3</dev/mapper/vm
for point in loops-attached pending-saved table-loaded; do
	killed_at "$point" dmc add vm g=/tmp/g.img
	[ "$point" != table-loaded ] || dmsetup info vm | grep -q 'Tables present: *LIVE & INACTIVE' ||
		fail "no loaded table at table-loaded: $(dmsetup info vm | grep Tables)"
	dmc -q assemble vm || fail "assemble after add killed at $point"
	agree vm
	! has_volume g || fail "add killed at $point saved the new map"
	[ "$(stamp_of /dev/mapper/vm 2048)" = kept ] || fail "data lost after add killed at $point"
done
killed_at table-resumed dmc add vm g=/tmp/g.img
finished_by status vm
has_volume g || fail "status did not finish the add"
for point in pending-saved table-loaded; do
	killed_at "$point" dmc drop --yes vm g
	dmc -q assemble vm || fail "assemble after drop killed at $point"
	agree vm
	has_volume g || fail "drop killed at $point saved the new map"
done
killed_at table-resumed dmc drop --yes vm g
finished_by map vm
! has_volume g || fail "map did not finish the drop"
# The next add itself finishes the one before and then makes its own.
killed_at table-resumed dmc add vm g=/tmp/g.img
finished_by add vm b=/dev/ram1
has_volume g && has_volume b || fail "add did not finish the add before it"
[ "$(stamp_of /dev/mapper/vm 2048)" = kept ] || fail "data lost after the finished changes"
exec 3<&-
# A reboot (here: the device removed behind the tool's back) after a kill
# at table-resumed: the saved map is the last committed one and stands.
killed_at table-resumed dmc drop vm g b
dmsetup remove vm || fail "dmsetup remove"
dmc -q assemble vm || fail "assemble after a lost device with a pending map"
[ ! -e "$pending" ] || fail "assemble kept the pending map of a lost device"
has_volume g && has_volume b || fail "assemble took the pending map of a lost device"
agree vm
dmc -q drop vm g b || fail "drop after the kills"
agree vm
echo "add, drop: killed at every step; the next command finished or discarded the change"

# export: unexport takes back whatever a kill left; export itself
# removes a backstore left without its serial or not enabled.
for point in backstore-serial target-made lun-linked; do
	killed_at "$point" dmc export vm
	dmc -q unexport vm || fail "unexport after export killed at $point"
	tree_is /tmp/tree.before "after export killed at $point and unexport"
	agree vm
done
killed_at backstore-serial dmc export vm
dmc export vm >/dev/null || fail "export over a half-built backstore"
dmc -q unexport vm || fail "unexport"
tree_is /tmp/tree.before "after export over a half-built backstore"
killed_at backstore-serial dmc export vm
dmc -q remove --force vm || fail "remove --force over a half-built backstore"
tree_is /tmp/tree.before "after remove --force over a half-built backstore"
dmc -q assemble vm || fail "assemble"
echo "export: killed at every step, unexport, export and remove --force recover"

# The order an older dmcombine used: enabled, then killed before the serial.
modprobe target_core_iblock || fail "target_core_iblock"
hba=$lio/core/iblock_0
mkdir "$hba" "$hba/dmcombine-vm" || fail "mkdir backstore"
echo /dev/mapper/vm >"$hba/dmcombine-vm/udev_path"
echo "udev_path=/dev/mapper/vm" >"$hba/dmcombine-vm/control"
echo 1 >"$hba/dmcombine-vm/enable" || fail "enable"
dmc export vm >/dev/null || fail "export over a backstore without a serial"
dmc -q unexport vm || fail "unexport"
tree_is /tmp/tree.before "after an old half-built backstore"
echo "export: a backstore enabled without a serial is taken over"

# remove --force: a kill after the unexport leaves an unexported device.
dmc export vm >/dev/null || fail "export"
killed_at exports-removed dmc remove --force --yes vm
tree_is /tmp/tree.before "after remove --force killed"
dmc -q remove --forget vm || fail "remove after remove --force killed"
no_trace vm
echo "remove: killed after the unexport, recovered"
lio_stop tcm_loop
brd_unload
