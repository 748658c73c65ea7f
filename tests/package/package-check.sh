#!/bin/sh
# The Debian packages on a fresh Debian 12, in a debootstrapped chroot:
# `apt-get install` of both .debs pulls what they need; every file is where
# `make install` puts it; the systemd units are enabled, never started;
# DKMS builds dm-combine.ko for each test kernel
# (their linux-headers packages, as on the host); an upgrade to a higher
# version replaces the module; remove keeps the saved maps; purge keeps them
# while a combined device is active and removes the empty directory; then
# nothing of the packages is left. Nothing is loaded: the chroot shares this
# kernel, and the check fails if dm_combine appears in /proc/modules.
#
# Run by `make package-check` after `make deb` (packages in build/deb).
# The minbase chroot is cached in $PACKAGE_CACHE (default
# ~/.cache/dmcombine/bookworm, lists refreshed after a day); each run works on
# an overlay over it. apt in the chroot shares the host's package cache, so
# what the host has installed is not downloaded again. Root needed.
set -eu
cd "$(dirname "$0")/../.."
top=$PWD

if [ "$(id -u)" -ne 0 ]; then
	echo "package-check: SKIP: needs root (debootstrap, chroot, mounts)"
	exit 77
fi
version=$(sed -n 's/^#define DMCOMBINE_VERSION "\(.*\)"/\1/p' include/dm-combine.h)
next=$version.1
# Debian 12 kernels only: the chroot is bookworm, and the newest kernel's headers
# come from Debian 13 (scripts/newest-kernel.sh), built by its own gcc.
kernels=$(scripts/kernels.sh host | tr "\n" " ")
kernels=${kernels% }
work=$top/build/package-check
root=$work/root
failed=0
start=$(date +%s)

fail() {
	echo "package-check: FAIL: $*" >&2
	failed=1
}

# shellcheck source=tests/package/chroot.sh
. tests/package/chroot.sh
cached_base || exit 1
overlay_root || exit 1
trap 'echo "package-check: $(($(date +%s) - start)) s"; remove_root' EXIT
trap 'exit 1' INT TERM
mkdir "$work/debs"
# update-initramfs only records its calls: the chroot's initramfs is never
# booted, and building one per trigger would take most of the run.
in_root dpkg-divert --quiet --local --rename --divert /usr/sbin/update-initramfs.real \
	--add /usr/sbin/update-initramfs
printf '#!/bin/sh\necho "$*" >>/var/log/update-initramfs.calls\n' >"$root/usr/sbin/update-initramfs"
chmod 0755 "$root/usr/sbin/update-initramfs"
initramfs_updates() {
	n=$(grep -cs '^-u' "$root/var/log/update-initramfs.calls" || true)
	echo "${n:-0}"
}
loaded_before=$(grep -cs '^dm_combine ' /proc/modules || true)

# The packages: make deb's, and the same tree one version higher.
cp build/deb/dmcombine_"$version"_*.deb build/deb/dmcombine-dkms_"$version"_all.deb "$work/debs/"
mkdir "$work/next"
tar -c --exclude=./build --exclude=./.git . | tar -x -C "$work/next"
sed -i "s/^#define DMCOMBINE_VERSION \"$version\"/#define DMCOMBINE_VERSION \"$next\"/" \
	"$work/next/include/dm-combine.h"
(cd "$work/next" && debian/rules execute_before_dh_auto_build) >/dev/null 2>&1 &&
	fail "debian/rules took a changelog version other than DMCOMBINE_VERSION"
{
	printf 'dmcombine (%s) unstable; urgency=medium\n\n  * package-check upgrade.\n\n' "$next"
	printf ' -- package-check <root@localhost>  %s\n\n' "$(date -R)"
	cat debian/changelog
} >"$work/next/debian/changelog.new"
mv "$work/next/debian/changelog.new" "$work/next/debian/changelog"
(cd "$work/next" && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b) \
	>"$work/build-next.log" 2>&1 || { tail -n 30 "$work/build-next.log" >&2; exit 1; }
cp "$work"/dmcombine_"$next"_*.deb "$work"/dmcombine-dkms_"$next"_all.deb "$work/debs/"
mkdir "$root/debs"
cp "$work"/debs/*.deb "$root/debs/"
echo "package-check: packages $version and $next built ($(($(date +%s) - start)) s)"

# What `make install` installs from the tree DIR, as the packages must hold
# it (dh_installman compresses man pages).
staged_files() {
	rm -rf "$work/stage"
	make -s -C "$1" install DESTDIR="$work/stage" PREFIX=/usr >/dev/null
	(cd "$work/stage" && find . ! -type d | sed -e 's|^\.||' -e 's|^\(/usr/share/man/.*\.[0-9]\)$|\1.gz|' | sort)
}

# check_installed VERSION DIR: both packages at VERSION, every file make
# install puts in place from the tree DIR there (the same bytes where the
# package does not transform it), no file besides those and the docs, the
# module built by DKMS for each kernel, no other version left.
check_installed() {
	v=$1
	for p in dmcombine dmcombine-dkms; do
		# shellcheck disable=SC2016 # dpkg-query's fields
		got=$(in_root dpkg-query -W -f='${Status} ${Version}' "$p" 2>/dev/null || true)
		[ "$got" = "install ok installed $v" ] || fail "$p: '$got', not version $v installed"
	done
	staged_files "$2" >"$work/staged"
	in_root dpkg -L dmcombine dmcombine-dkms | sort -u >"$work/listed"
	while read -r f; do
		grep -qxF "$f" "$work/listed" || fail "$v: $f is in no package"
		[ -f "$root$f" ] || { fail "$v: $f not installed"; continue; }
		case $f in
		*.gz | /usr/sbin/*) ;; # compressed; stripped
		*) cmp -s "$work/stage$f" "$root$f" || fail "$v: $f differs from make install's" ;;
		esac
		[ "$(stat -c %a "$root$f")" = "$(stat -c %a "$work/stage${f%.gz}")" ] ||
			fail "$v: $f has mode $(stat -c %a "$root$f")"
	done <"$work/staged"
	while read -r f; do
		[ -d "$root$f" ] || grep -qxF "$f" "$work/staged" || case $f in
		/usr/share/doc/dmcombine/* | /usr/share/doc/dmcombine-dkms/*) ;;
		*) fail "$v: the packages have $f, make install does not" ;;
		esac
	done <"$work/listed"
	for k in $kernels; do
		in_root dkms status -m dmcombine -v "$v" -k "$k" 2>/dev/null | grep -q ': installed' ||
			fail "$v: DKMS has not installed the module for $k"
		ko=$(ls "$root/lib/modules/$k/updates/dkms/"dm-combine.ko* 2>/dev/null || true)
		if [ -z "$ko" ] || [ "$(in_root modinfo -F version "${ko#"$root"}")" != "$v" ]; then
			fail "$v: no dm-combine.ko of version $v in /lib/modules/$k/updates/dkms"
		fi
	done
	in_root dkms status -m dmcombine 2>/dev/null | grep -v "^dmcombine/$v," | grep . &&
		fail "$v: DKMS still has another version"
	[ "$(ls -d "$root"/usr/src/dmcombine-* "$root"/var/lib/dkms/dmcombine/[0-9]*)" = \
	  "$(printf '%s\n' "$root/usr/src/dmcombine-$v" "$root/var/lib/dkms/dmcombine/$v")" ] ||
		fail "$v: module sources of other versions left"
	grep -q 'update-initramfs' "$root/var/lib/dpkg/info/dmcombine.triggers" ||
		fail "$v: no update-initramfs trigger"
	[ "$(grep -c 'update-initramfs' "$root/var/lib/dpkg/info/dmcombine.triggers")" = 1 ] ||
		fail "$v: update-initramfs triggered twice"
}

# stand_in PACKAGE "VERSION ARCH": an empty package of that name, for a
# kernel image some headers depend on: DKMS builds against the headers, and
# unpacking and deleting 400 MB of modules would take most of the run.
stand_in() {
	mkdir -p "$work/$1/DEBIAN"
	cat >"$work/$1/DEBIAN/control" <<EOT
Package: $1
Version: ${2% *}
Architecture: ${2#* }
Maintainer: package-check <root@localhost>
Description: package-check's stand-in for $1
EOT
	dpkg-deb -b "$work/$1" "$root/debs/$1.deb" >/dev/null
	echo "/debs/$1.deb"
}

# The linux-headers package of a test kernel and the linux-* packages it
# needs (6.12's needs its linux-image: a stand-in), as the host has them:
# .deb files from the host's package cache, or fetched into it.
headers_debs() {
	todo="linux-headers-$1" seen=
	while [ -n "$todo" ]; do
		p=${todo%% *}
		todo=${todo#"$p"}
		todo=${todo# }
		case " $seen " in *" $p "*) continue ;; esac
		seen="$seen $p"
		pv=$(dpkg-query -W -f='${db:Status-Status} ${Version} ${Architecture}' "$p" 2>/dev/null) ||
			pv=
		case $pv in
		"installed "*) pv=${pv#installed } ;;
		*) continue ;; # an alternative the host does not have
		esac
		case $p in
		linux-image-*)
			stand_in "$p" "$pv"
			continue ;;
		esac
		deb=$archives/${p}_$(echo "${pv% *}" | sed 's/:/%3a/')_${pv#* }.deb
		if [ ! -f "$deb" ]; then
			(cd "$archives" && apt-get download -q "$p=${pv% *}" >/dev/null) ||
				{ echo "package-check: cannot fetch $p ${pv% *}" >&2; return 1; }
		fi
		cp "$deb" "$root/debs/"
		echo "/debs/${deb##*/}"
		todo="$todo $(dpkg-query -W -f='${Depends}' "$p" | tr ',|' '\n' |
			sed -n 's/^ *\(linux-[^ ]*\).*/\1/p' | tr '\n' ' ')"
		todo=${todo# }
	done
}

# 1. Fresh install, as an admin does it, on a host with an initramfs tool;
# then the test kernels' headers: the kernel hook has DKMS build the module
# for each.
t=$(date +%s)
apt_in_root install initramfs-tools
updates=$(initramfs_updates)
apt_in_root install "/debs/dmcombine_${version}_$(dpkg --print-architecture).deb" \
	"/debs/dmcombine-dkms_${version}_all.deb"
for k in $kernels; do
	debs=$(headers_debs "$k")
	# shellcheck disable=SC2086 # one path per word
	apt_in_root install $debs
done
[ "$(initramfs_updates)" -gt "$updates" ] || fail "installing did not trigger update-initramfs"
echo "package-check: installed $version with headers for $kernels ($(($(date +%s) - t)) s)"
check_installed "$version" "$top"
# The units are enabled for the next boot (never started: policy-rc.d
# would refuse, and the maintainer scripts do not ask).
for unit in dmcombine-assemble dmcombine-exports; do
	[ -L "$root/etc/systemd/system/multi-user.target.wants/$unit.service" ] ||
		fail "$unit.service is not enabled"
done
! grep -Eq 'deb-systemd-invoke|systemctl (start|restart|stop|try-restart)' \
	"$root"/var/lib/dpkg/info/dmcombine.p* || fail "a maintainer script starts, stops or restarts a unit"

# 2. Upgrade: DKMS drops the old module and builds the new one.
t=$(date +%s)
mkdir -m 0700 "$root/etc/dmcombine"
echo '{}' >"$root/etc/dmcombine/vm1.json"
updates=$(initramfs_updates)
apt_in_root install "/debs/dmcombine_${next}_$(dpkg --print-architecture).deb" \
	"/debs/dmcombine-dkms_${next}_all.deb"
[ "$(initramfs_updates)" -gt "$updates" ] || fail "the upgrade did not trigger update-initramfs"
echo "package-check: upgraded to $next ($(($(date +%s) - t)) s)"
check_installed "$next" "$work/next"

# 3. Remove keeps the saved maps; 4. purge keeps them (and says so) while a
# combined device is active: a sysfs entry for one (the chroot has no /sys).
apt_in_root remove dmcombine dmcombine-dkms
[ -f "$root/etc/dmcombine/vm1.json" ] || fail "remove deleted a saved map"
mkdir -p "$root/sys/block/dm-0/dm"
echo DMCOMBINE-0123456789abcdef >"$root/sys/block/dm-0/dm/uuid"
echo vm1 >"$root/sys/block/dm-0/dm/name"
said=$(in_root dpkg --purge dmcombine 2>&1)
[ -f "$root/etc/dmcombine/vm1.json" ] || fail "purge deleted the map of an active device"
echo "$said" | grep -q 'kept /etc/dmcombine (saved maps: 1)' || fail "purge did not say it kept the map: $said"
echo "$said" | grep -q 'still active: vm1' || fail "purge did not name the active device: $said"
rm -r "$root/sys/block" "$root/etc/dmcombine/vm1.json"
apt_in_root install "/debs/dmcombine_${next}_$(dpkg --print-architecture).deb"
apt_in_root purge dmcombine dmcombine-dkms
[ ! -e "$root/etc/dmcombine" ] || fail "purge left the empty /etc/dmcombine"

# Nothing left: no file by name, no module in depmod's lists, no DKMS tree.
left=$(cd "$root" && find . -xdev \( -path ./debs -o -path ./var/log -o -path ./var/cache/apt \) \
	-prune -o \( -iname '*dmcombine*' -o -iname '*dm-combine*' -o -iname '*dm_combine*' \) -print)
[ -z "$left" ] || fail "left after purge: $left"
grep -l 'dm-combine' "$root"/lib/modules/*/modules.dep && fail "depmod still lists dm-combine"
[ "$(grep -cs '^dm_combine ' /proc/modules || true)" = "$loaded_before" ] ||
	fail "dm_combine was loaded"

total=$(($(date +%s) - start))
[ "$failed" -eq 0 ] && echo "package-check: install, DKMS for $(echo "$kernels" | wc -w) kernels, upgrade, remove, purge: PASS ($total s)"
exit "$failed"
