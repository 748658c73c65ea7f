#!/bin/sh
# The bench itself: configfs is mounted, the tools run, device-mapper
# answers and lists its targets, and the modules the tests load are there.
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

grep -q ' /sys/kernel/config configfs ' /proc/mounts || fail "configfs not mounted"
[ -c /dev/mapper/control ] || fail "no /dev/mapper/control"
dmsetup version | grep -q '^Driver version' || fail "dmsetup cannot reach the kernel"
dmsetup targets >/tmp/targets || fail "dmsetup targets failed"
for target in linear error; do
	grep -q "^$target " /tmp/targets || fail "no $target target"
done
if [ -d /sys/module/dm_combine ]; then
	grep -q '^combine ' /tmp/targets || fail "dm-combine loaded, no combine target"
fi
echo "targets: $(awk '{ printf "%s %s  ", $1, $2 }' /tmp/targets)"

for tool in fio losetup blkdiscard blockdev md5sum; do
	command -v "$tool" >/dev/null || fail "no $tool"
done
# The tool, when the image has it, runs: its libraries came along.
if [ -x /usr/local/bin/dmcombine ]; then
	dmcombine --version || fail "dmcombine does not run"
fi
for module in null_blk brd loop dm-flakey dm-delay dm-zero; do
	modinfo "$module" >/dev/null 2>&1 || fail "no module $module"
done
