#!/bin/bash
# make demo: on a fresh Debian 12 machine, install what is missing, build
# the module and the tool, and run the demo in a QEMU guest: the VM suite
# (scripts/vm/suite.sh) boots one kernel with only tests/vm/59-demo.sh,
# and this prints that test's transcript.
#
#   scripts/vm/demo.sh [KVER]    (default: the 6.1 kernel the suite boots)
#
# VM_WORKDIR (default build/demo) keeps the suite's files: console.log
# has the whole run.
set -eu
cd "$(dirname "$0")/../.."

[ "$(id -u)" -ne 0 ] || scripts/deps.sh test
make -s tools
kver=${1:-$(scripts/kernels.sh test | head -n 1)}
[ -n "$kver" ] || { echo "$0: no test kernel installed (make test-deps)" >&2; exit 1; }
workdir=${VM_WORKDIR:-build/demo}
mkdir -p "$workdir"
echo "demo: booting $kver in QEMU (TCG, about a minute); the guest runs:"
rc=0
VM_TESTS=59-demo VM_VERBOSE=1 VM_WORKDIR=$workdir scripts/vm/suite.sh "$kver" \
	>"$workdir.log" 2>&1 || rc=$?
# The test's own output, without the kernel log /init appends to it.
sed -n '/^DMC-OUTPUT-BEGIN 59-demo$/,/^DMC-OUTPUT-END 59-demo$/{
	/^DMC-OUTPUT-/d
	/^--- kernel log:$/,$d
	p
}' "$workdir/$kver/console.log"
if [ "$rc" -ne 0 ]; then
	echo "demo: failed; the suite said:" >&2
	sed 's/^/  /' "$workdir.log" >&2
	exit 1
fi
echo "demo: $(grep '^59-demo ' "$workdir/$kver/results")"
