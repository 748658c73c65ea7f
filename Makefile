# dmcombine: the dm-combine kernel module, the dmcombine tool, their tests.
#
#   make             build the module (for KVER/KDIR) and the tool
#   make check       install what is missing, run unit tests, fuzzers and the VM suite
#   make fuzz        libFuzzer on the table parser, VOLUME parser, registry reader
#   make deps        install every build and test dependency (apt-get, root)
#   make sparse      build the module with W=1 and sparse (C=2)
#   make bench       benchmarks in QEMU with -icount, into tests/bench/RESULTS.md
#   make demo        the whole story in a QEMU guest: combine, export, mount, add
#   make install     install the tool, its man page and completion (DESTDIR, PREFIX)

VERSION := $(shell sed -n 's/^\#define DMCOMBINE_VERSION "\(.*\)"/\1/p' include/dm-combine.h)
KVER ?= $(shell scripts/kernels.sh default)
KDIR ?= /lib/modules/$(KVER)/build
# Seconds each fuzzer runs in make fuzz (and so in make check).
FUZZ_SECONDS ?= 60
# Kernels the VM suite boots; override to test just one.
TEST_KERNELS ?= $(shell scripts/kernels.sh test)

all: module tools

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 C=2 modules

tools:
	$(MAKE) -C userspace

deps:
	scripts/deps.sh

check: deps
	$(MAKE) unit-check
	$(MAKE) fuzz
	$(MAKE) vm-check

unit-check: tools
	$(MAKE) -C tests/unit check

# Replays the seeds and the regressions, then fuzzes each harness.
fuzz:
	$(MAKE) -C tests/fuzz check
	$(MAKE) -C tests/fuzz run FUZZ_SECONDS=$(FUZZ_SECONDS)

vm-check: tools
	scripts/vm/suite.sh $(TEST_KERNELS)

bench: tools
	scripts/vm/bench.sh $(TEST_KERNELS)

demo:
	scripts/vm/demo.sh

install uninstall:
	$(MAKE) -C userspace $@

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	$(MAKE) -C tests/unit clean
	rm -rf build

.PHONY: all module sparse tools deps check unit-check vm-check fuzz bench demo install uninstall clean
