#!/bin/sh
# make install and make uninstall into a DESTDIR, with two PREFIXes: every
# piece lands where udev, dracut and DKMS look, the generated files have no
# placeholder left and name the tool where PREFIX put it, and uninstall
# leaves no file behind. No root needed, nothing outside the DESTDIR.
set -eu
cd "$(dirname "$0")/../.."

dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
version=$(sed -n 's/^#define DMCOMBINE_VERSION "\(.*\)"/\1/p' include/dm-combine.h)
failed=0

fail() {
	echo "install-check: FAIL: $*" >&2
	failed=1
}

for prefix in /usr /usr/local; do
	root=$dest/p${prefix##*/}
	make -s install DESTDIR="$root" PREFIX="$prefix" >/dev/null
	src=$root/usr/src/dmcombine-$version
	for f in "$prefix/sbin/dmcombine" "$prefix/share/man/man8/dmcombine.8" \
		"$prefix/share/bash-completion/completions/dmcombine" \
		/lib/udev/rules.d/63-dmcombine.rules /lib/systemd/system/dmcombine-monitor.service \
		/usr/lib/dracut/modules.d/90dmcombine/module-setup.sh \
		/usr/lib/dracut/modules.d/90dmcombine/parse-dmcombine.sh \
		/usr/lib/dmcombine/dmcombine-image-maps /usr/share/initramfs-tools/hooks/dmcombine \
		/usr/lib/dmcombine/dmcombine-stop-images /lib/systemd/system/dmcombine-assemble.service \
		/lib/systemd/system/dmcombine-exports.service \
		/usr/share/initramfs-tools/scripts/init-top/dmcombine \
		/usr/share/initramfs-tools/scripts/local-block/dmcombine \
		/etc/libvirt/hooks/qemu.d/dmcombine /usr/lib/ocf/resource.d/dmcombine/combined \
		"/usr/src/dmcombine-$version/dkms.conf" "/usr/src/dmcombine-$version/Kbuild" \
		"/usr/src/dmcombine-$version/kernel/dm-combine.c" \
		"/usr/src/dmcombine-$version/include/dm-combine.h"; do
		[ -f "$root$f" ] || fail "PREFIX=$prefix: $f not installed"
	done
	# Text files only (-I): the tool's machine code may hold "@@" by chance.
	# shellcheck disable=SC2016 # the placeholders themselves
	! grep -rlI '@[A-Z]*@' "$root" || fail "PREFIX=$prefix: placeholders left"
	grep -q "^PACKAGE_VERSION=\"$version\"$" "$src/dkms.conf" ||
		fail "PREFIX=$prefix: dkms.conf is not version $version"
	grep -q '^AUTOINSTALL="yes"$' "$src/dkms.conf" || fail "dkms.conf: no AUTOINSTALL"
	grep -q "RUN+=\"$prefix/sbin/dmcombine assemble --incremental" \
		"$root/lib/udev/rules.d/63-dmcombine.rules" ||
		fail "PREFIX=$prefix: the udev rule does not run $prefix/sbin/dmcombine"
	grep -qx "ExecStart=$prefix/sbin/dmcombine monitor" "$root/lib/systemd/system/dmcombine-monitor.service" ||
		fail "PREFIX=$prefix: the monitor unit does not run $prefix/sbin/dmcombine"
	grep -q "$prefix/sbin/dmcombine" "$root/usr/lib/dracut/modules.d/90dmcombine/module-setup.sh" ||
		fail "PREFIX=$prefix: the dracut module does not install $prefix/sbin/dmcombine"
	bash -n "$root/usr/lib/dracut/modules.d/90dmcombine/module-setup.sh" ||
		fail "module-setup.sh does not parse"
	for unit in dmcombine-assemble dmcombine-exports; do
		grep -q "^ExecStart=-\{0,1\}$prefix/sbin/dmcombine " "$root/lib/systemd/system/$unit.service" ||
			fail "PREFIX=$prefix: $unit.service does not run $prefix/sbin/dmcombine"
		if command -v systemd-analyze >/dev/null; then
			systemd-analyze verify --man=no "$root/lib/systemd/system/$unit.service" 2>&1 |
				grep -v "Command .* is not executable\|[Nn]o such file" | grep . &&
				fail "PREFIX=$prefix: systemd-analyze verify $unit.service"
		fi
	done
	for f in usr/lib/dracut/modules.d/90dmcombine/parse-dmcombine.sh usr/lib/dmcombine/dmcombine-image-maps \
		usr/lib/dmcombine/dmcombine-stop-images \
		usr/share/initramfs-tools/hooks/dmcombine usr/share/initramfs-tools/scripts/init-top/dmcombine \
		usr/share/initramfs-tools/scripts/local-block/dmcombine etc/libvirt/hooks/qemu.d/dmcombine \
		usr/lib/ocf/resource.d/dmcombine/combined; do
		sh -n "$root/$f" || fail "$f does not parse"
	done
	for f in etc/libvirt/hooks/qemu.d/dmcombine usr/lib/ocf/resource.d/dmcombine/combined; do
		[ -x "$root/$f" ] || fail "$f is not executable"
		grep -q "^dmcombine=$prefix/sbin/dmcombine\$" "$root/$f" ||
			fail "PREFIX=$prefix: $f does not run $prefix/sbin/dmcombine"
	done
	grep -q "copy_exec \"\$root$prefix/sbin/dmcombine\"" "$root/usr/share/initramfs-tools/hooks/dmcombine" ||
		fail "PREFIX=$prefix: the initramfs-tools hook does not copy $prefix/sbin/dmcombine"
	# A host-only image's command line: each device root and /usr need, once.
	# shellcheck disable=SC2016 # expanded by the inner bash
	line=$(bash -c '
		for_each_host_dev_and_slaves_all() { printf "%s\n" usr root usr; }
		. "$1/usr/lib/dracut/modules.d/90dmcombine/module-setup.sh"
		cmdline' sh "$root")
	[ "$line" = " rd.dmcombine.name=root rd.dmcombine.name=usr" ] ||
		fail "PREFIX=$prefix: dracut cmdline() gave \"$line\""
	[ ! -e "$src/kernel/dm-combine.mod.c" ] || fail "build products in the DKMS source"
	# The dracut module's check(), with dracut's helpers stubbed: generic
	# images take it, host-only ones only with a combined device (none
	# here: 255, "only if asked"), none without the tool.
	for want in "0 hostonly=" "255 hostonly=1" "1 DMCOMBINE_DESTDIR=/nonexistent"; do
		# shellcheck disable=SC2016 # expanded by the inner bash
		rc=$(env DMCOMBINE_DESTDIR="$root" "${want#* }" bash -c '
			for_each_host_dev_and_slaves() { "$1" 0:0; }
			. "$1/usr/lib/dracut/modules.d/90dmcombine/module-setup.sh"
			check; echo $?' sh "$root" 2>&1) || true
		[ "$rc" = "${want%% *}" ] ||
			fail "PREFIX=$prefix: dracut check() with ${want#* } gave $rc, not ${want%% *}"
	done

	make -s uninstall DESTDIR="$root" PREFIX="$prefix" >/dev/null
	left=$(find "$root" ! -type d)
	[ -z "$left" ] || fail "PREFIX=$prefix: uninstall left $left"
	for d in usr/lib/dracut/modules.d/90dmcombine "usr/src/dmcombine-$version"; do
		[ ! -e "$root/$d" ] || fail "PREFIX=$prefix: uninstall left /$d"
	done
done
[ "$failed" -eq 0 ] && echo "install-check: make install and uninstall with PREFIX /usr and /usr/local: PASS"
exit "$failed"
