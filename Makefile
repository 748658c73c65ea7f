# dmcombine: the dm-combine kernel module, the dmcombine tool, their tests.
#
#   make             build the module (for KVER/KDIR) and the tool
#   make check       install what the tests need (test-deps), run unit tests,
#                    fuzzers, the VM suite (with two guests at once over shared
#                    disks: scripts/vm/two-hosts.sh), host-check and package-check
#   make fuzz        libFuzzer on the table parser, VOLUME parser, registry reader
#   make deps        install what building needs (apt-get, root): no apt
#                    source, no kernel
#   make test-deps   also what the tests and the demo need; test kernel images
#                    only with DMCOMBINE_TEST_KERNELS=install or CI=true
#                    (scripts/deps.sh says why)
#   make sparse      build the module with W=1 and sparse (C=2)
#   make cross-check build the module with W=1 and sparse for arm64 and i386
#   make bench       benchmarks in QEMU with -icount, into tests/bench/RESULTS.md
#   make demo        the whole story in a QEMU guest: combine, export, mount, add
#   make install     install the tool, man page, completion, udev rules, dracut
#                    module, initramfs-tools hook and scripts, the libvirt hook,
#                    the OCF resource agent, the monitor's systemd unit and the
#                    module source for DKMS (DESTDIR, PREFIX)
#   make dkms-install  make install, then register and build the module with DKMS
#   make host-check  boot dracut and initramfs-tools images with root on a combined
#                    device, many volumes at once, stale maps, an image-file map
#                    and its export across a reboot (QEMU)
#   make deb         Debian packages dmcombine and dmcombine-dkms in build/deb,
#                    checked by lintian
#   make package-check  install, upgrade, remove and purge them in a bookworm chroot,
#                    then systemd-check
#   make systemd-check  boot them in a Debian 12 root with systemd as PID 1 (QEMU):
#                    udev's assembly units, degraded timer, monitor, exports

VERSION := $(shell sed -n 's/^\#define DMCOMBINE_VERSION "\(.*\)"/\1/p' include/dm-combine.h)
KVER ?= $(shell scripts/kernels.sh default)
KDIR ?= /lib/modules/$(KVER)/build
# Seconds each fuzzer runs in make fuzz (and so in make check).
FUZZ_SECONDS ?= 60
# Kernels the VM suite boots; override to test just one.
TEST_KERNELS ?= $(shell scripts/kernels.sh test)
# Kernels host-check boots: those installed here (DKMS builds with this
# host's compiler, which the newest kernel refuses).  make bench keeps to
# them too, the two kernels tests/bench/RESULTS.md compares.
HOST_KERNELS ?= $(shell scripts/kernels.sh host)

# Installation. PREFIX places the tool; udev, dracut and DKMS look in fixed
# places, so those honour DESTDIR only. The registry directory is the tool's
# compiled-in default.
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
UDEVRULESDIR ?= /lib/udev/rules.d
SYSTEMDUNITDIR ?= /lib/systemd/system
DRACUTMODDIR ?= /usr/lib/dracut/modules.d/90dmcombine
INITRAMFSTOOLSDIR ?= /usr/share/initramfs-tools
LIBDIR ?= /usr/lib/dmcombine
DKMSSRCDIR ?= /usr/src/dmcombine-$(VERSION)
# libvirt (6.5 and later) runs every executable here beside hooks/qemu.
LIBVIRTHOOKDIR ?= /etc/libvirt/hooks/qemu.d
# Where resource-agents puts a provider's agents: ocf:dmcombine:combined.
OCFDIR ?= /usr/lib/ocf/resource.d/dmcombine
CONFIGDIR := /etc/dmcombine
# Which maps each initramfs image holds (userspace/generation.h).
STATEDIR := /var/lib/dmcombine
SYSTEMD_RUN ?= /usr/bin/systemd-run
UDEVADM ?= /bin/udevadm
SYSTEMCTL ?= /bin/systemctl
PARTX ?= /usr/bin/partx
# Module sources as DKMS builds them: Kbuild, kernel/, include/.
MODULE_SOURCES := Kbuild $(filter-out %.mod.c,$(wildcard kernel/*.[ch])) $(wildcard include/*.h)
SUBST := sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@UDEVRULESDIR@|$(UDEVRULESDIR)|g' \
	     -e 's|@CONFIGDIR@|$(CONFIGDIR)|g' -e 's|@VERSION@|$(VERSION)|g' \
	     -e 's|@SYSTEMD_RUN@|$(SYSTEMD_RUN)|g' -e 's|@UDEVADM@|$(UDEVADM)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	     -e 's|@STATEDIR@|$(STATEDIR)|g' -e 's|@SYSTEMCTL@|$(SYSTEMCTL)|g' -e 's|@PARTX@|$(PARTX)|g'

all: module tools

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 C=2 modules

tools:
	$(MAKE) -C userspace

# The guest tests' LD_PRELOAD shim (37-tool-file-swap) and the benchmarks' ioctl timer
# go into the image with tests/vm.
vm-tools: tools
	$(CC) -O2 -Wall -Wextra -Werror -shared -fPIC -o tests/vm/swap-preload.so \
		tests/vm/swap-preload.c -ldl
	$(CC) -O2 -Wall -Wextra -Werror -static -o tests/vm/dm-ioctl-time tests/vm/dm-ioctl-time.c

cross-check:
	scripts/cross-check.sh

deps:
	scripts/deps.sh

test-deps:
	scripts/deps.sh test

check: test-deps
	$(MAKE) unit-check
	$(MAKE) cross-check
	$(MAKE) fuzz
	$(MAKE) vm-check
	$(MAKE) host-check
	$(MAKE) package-check

unit-check: tools
	$(MAKE) -C tests/unit check
	tests/install/install-check.sh

# Replays the seeds and the regressions, then fuzzes each harness.
fuzz:
	$(MAKE) -C tests/fuzz check
	$(MAKE) -C tests/fuzz run FUZZ_SECONDS=$(FUZZ_SECONDS)

# The suite, then two guests at once over the same disks (its initramfs).
vm-check: vm-tools
	scripts/vm/suite.sh $(TEST_KERNELS)
	scripts/vm/two-hosts.sh $(TEST_KERNELS)

bench: vm-tools
	scripts/vm/bench.sh $(HOST_KERNELS)

demo:
	scripts/vm/demo.sh

# Dracut and initramfs-tools images with the project installed in a staging
# root, booted in QEMU (HOST_CHECK_FULL=1: 256 volumes at once).
host-check: tools
	@[ -n "$(HOST_KERNELS)" ] || { echo "host-check: SKIP: no Debian 12 kernel image with headers" \
		"(make test-deps DMCOMBINE_TEST_KERNELS=install)"; exit 0; } && \
	scripts/vm/boot-test.sh $(HOST_KERNELS)

install: tools
	$(MAKE) -C userspace install
	install -d $(DESTDIR)$(UDEVRULESDIR) $(DESTDIR)$(DRACUTMODDIR) \
		$(DESTDIR)$(DKMSSRCDIR)/kernel $(DESTDIR)$(DKMSSRCDIR)/include
	$(SUBST) scripts/udev/63-dmcombine.rules.in >$(DESTDIR)$(UDEVRULESDIR)/63-dmcombine.rules
	$(SUBST) scripts/dracut/90dmcombine/module-setup.sh.in >$(DESTDIR)$(DRACUTMODDIR)/module-setup.sh
	chmod 0644 $(DESTDIR)$(UDEVRULESDIR)/63-dmcombine.rules
	rm -f $(DESTDIR)$(UDEVRULESDIR)/64-dmcombine.rules # its name before 2026-11-30
	chmod 0755 $(DESTDIR)$(DRACUTMODDIR)/module-setup.sh
	install -m 0755 scripts/dracut/90dmcombine/parse-dmcombine.sh $(DESTDIR)$(DRACUTMODDIR)/
	install -D -m 0755 scripts/dmcombine-image-maps $(DESTDIR)$(LIBDIR)/dmcombine-image-maps
	$(SUBST) scripts/systemd/dmcombine-stop-images.in >$(DESTDIR)$(LIBDIR)/dmcombine-stop-images
	chmod 0755 $(DESTDIR)$(LIBDIR)/dmcombine-stop-images
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	for unit in dmcombine-assemble dmcombine-exports dmcombine-monitor; do \
		$(SUBST) scripts/systemd/$$unit.service.in >$(DESTDIR)$(SYSTEMDUNITDIR)/$$unit.service && \
		chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/$$unit.service || exit; done
	install -d $(DESTDIR)$(INITRAMFSTOOLSDIR)/hooks $(DESTDIR)$(INITRAMFSTOOLSDIR)/scripts/init-top \
		$(DESTDIR)$(INITRAMFSTOOLSDIR)/scripts/local-block
	$(SUBST) scripts/initramfs-tools/hook.in >$(DESTDIR)$(INITRAMFSTOOLSDIR)/hooks/dmcombine
	install -m 0755 scripts/initramfs-tools/init-top $(DESTDIR)$(INITRAMFSTOOLSDIR)/scripts/init-top/dmcombine
	$(SUBST) scripts/initramfs-tools/local-block.in \
		>$(DESTDIR)$(INITRAMFSTOOLSDIR)/scripts/local-block/dmcombine
	chmod 0755 $(DESTDIR)$(INITRAMFSTOOLSDIR)/hooks/dmcombine \
		$(DESTDIR)$(INITRAMFSTOOLSDIR)/scripts/local-block/dmcombine
	install -d $(DESTDIR)$(LIBVIRTHOOKDIR) $(DESTDIR)$(OCFDIR)
	$(SUBST) scripts/libvirt/qemu-hook.in >$(DESTDIR)$(LIBVIRTHOOKDIR)/dmcombine
	$(SUBST) scripts/ocf/combined.in >$(DESTDIR)$(OCFDIR)/combined
	chmod 0755 $(DESTDIR)$(LIBVIRTHOOKDIR)/dmcombine $(DESTDIR)$(OCFDIR)/combined
	for f in $(MODULE_SOURCES); do install -m 0644 $$f $(DESTDIR)$(DKMSSRCDIR)/$$f || exit; done
	$(SUBST) scripts/dkms/dkms.conf.in >$(DESTDIR)$(DKMSSRCDIR)/dkms.conf
	chmod 0644 $(DESTDIR)$(DKMSSRCDIR)/dkms.conf

# dpkg-buildpackage on a copy of the tree, so that the packages and
# debhelper's files land in build/deb and the tree stays as it is.
DEBDIR := build/deb
deb:
	rm -rf $(DEBDIR) && mkdir -p $(DEBDIR)/dmcombine
	tar -c --exclude=./build --exclude=./.git . | tar -x -C $(DEBDIR)/dmcombine
	cd $(DEBDIR)/dmcombine && dpkg-buildpackage -us -uc -b
	lintian --fail-on error,warning $(DEBDIR)/dmcombine_$(VERSION)_*.changes

package-check: deb
	tests/package/package-check.sh || [ $$? -eq 77 ]
	tests/systemd/systemd-boot.sh || [ $$? -eq 77 ]

# The packages in a Debian 12 root booted with systemd as PID 1 (also part
# of package-check): udev's units, the degraded timer, monitor, exports.
systemd-check: deb
	tests/systemd/systemd-boot.sh || [ $$? -eq 77 ]

# Registers the installed source with DKMS and builds and installs the module
# for KVER (it is rebuilt for each new kernel: AUTOINSTALL). Loads nothing.
dkms-install: install
	dkms status -m dmcombine -v $(VERSION) | grep -q . || dkms add -m dmcombine -v $(VERSION)
	dkms install -m dmcombine -v $(VERSION) -k $(KVER)

uninstall:
	$(MAKE) -C userspace uninstall
	if [ -z "$(DESTDIR)" ] && command -v dkms >/dev/null && \
	   dkms status -m dmcombine -v $(VERSION) | grep -q .; then \
		dkms remove -m dmcombine -v $(VERSION) --all; fi
	rm -f $(DESTDIR)$(UDEVRULESDIR)/63-dmcombine.rules $(DESTDIR)$(UDEVRULESDIR)/64-dmcombine.rules
	rm -f $(DESTDIR)$(SYSTEMDUNITDIR)/dmcombine-assemble.service \
		$(DESTDIR)$(SYSTEMDUNITDIR)/dmcombine-exports.service \
		$(DESTDIR)$(SYSTEMDUNITDIR)/dmcombine-monitor.service
	rm -rf $(DESTDIR)$(DRACUTMODDIR) $(DESTDIR)$(DKMSSRCDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(OCFDIR)
	rm -f $(DESTDIR)$(LIBVIRTHOOKDIR)/dmcombine
	rm -f $(DESTDIR)$(INITRAMFSTOOLSDIR)/hooks/dmcombine \
		$(DESTDIR)$(INITRAMFSTOOLSDIR)/scripts/init-top/dmcombine \
		$(DESTDIR)$(INITRAMFSTOOLSDIR)/scripts/local-block/dmcombine

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	$(MAKE) -C tests/unit clean
	rm -rf build

.PHONY: all module sparse cross-check tools vm-tools deps test-deps check unit-check vm-check host-check fuzz bench \
	demo install dkms-install deb package-check systemd-check uninstall clean
