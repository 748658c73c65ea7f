# shellcheck shell=sh
# Helpers for the guest tests, sourced first: ". /tests/lib.sh".
#
# A test is /tests/NN-name.sh, run by /init in its own sh with /tmp as its
# directory.  It passes on exit 0, is skipped on exit 77 and fails on any
# other exit; the last line it prints is the reason shown for a skip or a
# failure.  It must remove every dm device, loop device, null_blk device
# and brd it made: /init fails a test that leaves one behind.  /init
# sources this file too, to clean up: keep it to definitions.
set -eu

# busybox sh runs its own applets before anything on PATH (it is built
# with FEATURE_SH_STANDALONE): make the fuller tools the image ships in
# /usr/local/bin win where busybox has a namesake (util-linux losetup
# --show and -D, blkdiscard -z).
for tool in /usr/local/bin/*; do
	if busybox --list | grep -qx "${tool##*/}"; then
		eval "${tool##*/}() { $tool \"\$@\"; }"
	fi
done

# fail MSG: the test fails with MSG (on stderr, so that it shows even
# from inside $(...)).
fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# skip MSG: the test cannot run here, because of MSG.
skip() {
	echo "SKIP: $*" >&2
	exit 77
}

# need_module: skip unless dm-combine is loaded.
need_module() {
	[ -d /sys/module/dm_combine ] || skip "dm-combine is not loaded"
}

# devnum DEV: "major:minor" of a block device node.
devnum() {
	printf '%d:%d\n' "0x$(stat -L -c %t "$1")" "0x$(stat -L -c %T "$1")"
}

# stat_field DEV N: field N of DEV's /sys/block/*/stat (kernel
# Documentation/block/stat.rst).
stat_field() {
	awk -v n="$2" '{ print $n }' "/sys/dev/block/$(devnum "$1")/stat"
}

# flush_count DEV: flush requests DEV has completed.
flush_count() {
	stat_field "$1" 16
}

# discard_sectors DEV: sectors DEV has discarded.
discard_sectors() {
	stat_field "$1" 14
}

# sectors_of DEV: size in 512-byte sectors.
sectors_of() {
	blockdev --getsz "$1"
}

# md5_range DEV START COUNT: md5sum of COUNT sectors of DEV from sector
# START, read with O_DIRECT (not from the page cache), so both multiples
# of DEV's logical block size.
md5_range() {
	dd if="$1" of=/tmp/md5_range bs=64k iflag=direct,skip_bytes,count_bytes \
		skip=$(($2 * 512)) count=$(($3 * 512)) 2>/dev/null ||
		fail "read of $3 sectors at $2 from $1 failed"
	md5sum </tmp/md5_range | cut -d' ' -f1
}

# nullb_create NAME SIZE_MB [ATTR=VALUE...]: a null_blk device made through
# configfs, e.g. blocksize=4096 memory_backed=1 cache_size=16 discard=1
# irqmode=0 (null_blk's defaults otherwise: no data kept, 512-byte
# blocks); prints its /dev path, which null_blk names after the configfs
# directory.
nullb_create() {
	[ -d /sys/kernel/config/nullb ] || modprobe null_blk nr_devices=0 ||
		fail "cannot load null_blk"
	nullb_dir=/sys/kernel/config/nullb/$1
	mkdir "$nullb_dir" || fail "cannot make null_blk $1"
	echo "$2" >"$nullb_dir/size"
	shift 2
	for attr in "$@"; do
		echo "${attr#*=}" >"$nullb_dir/${attr%%=*}" ||
			fail "null_blk ${nullb_dir##*/}: cannot set $attr"
	done
	echo 1 >"$nullb_dir/power" || fail "null_blk ${nullb_dir##*/}: cannot power on"
	echo "/dev/${nullb_dir##*/}"
}

# nullb_remove NAME: remove the null_blk device NAME.
nullb_remove() {
	echo 0 >"/sys/kernel/config/nullb/$1/power"
	rmdir "/sys/kernel/config/nullb/$1"
}

# scsi_debug_load [PARAM=VALUE...]: load scsi_debug with PARAMs and print
# its disk once sd has attached it (asynchronously).
scsi_debug_load() {
	modprobe sd_mod
	modprobe scsi_debug "$@" || fail "cannot load scsi_debug $*"
	for try in 1 2 3 4 5 6 7 8 9 10; do
		for disk in /sys/block/sd*; do
			if grep -qs scsi_debug "$disk/device/model"; then
				echo "/dev/${disk##*/}"
				return
			fi
		done
		sleep 1
	done
	fail "no scsi_debug disk after $try s"
}

# brd_load COUNT SIZE_KB: COUNT RAM disks /dev/ram0.. of SIZE_KB each.
brd_load() {
	[ ! -d /sys/module/brd ] || fail "brd is loaded already"
	modprobe brd rd_nr="$1" rd_size="$2" || fail "cannot load brd"
}

# brd_unload: remove the RAM disks.
brd_unload() {
	rmmod brd
}

# dm_remove_all: remove every dm device, open ones too (their tables are
# replaced by error targets first).
dm_remove_all() {
	dmsetup remove_all --force
}
