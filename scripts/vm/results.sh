# shellcheck shell=bash disable=SC2154 # results: set by the harness
# Result bookkeeping of the guest harnesses (suite.sh, boot-test.sh),
# sourced: each kernel's lines "NAME PASS|FAIL|SKIP [reason]" go to the file
# $results; totals are kept over all kernels.
passed=0 failed=0 skipped=0 failures=

# start_results DIR: takes DIR for this run (one run at a time per
# directory: another harness there would overwrite its files; VM_WORKDIR
# gives a run its own) and empties its results file, DIR/results.
start_results() {
	results=$1/results
	mkdir -p "$1"
	exec 9>"$1/lock"
	flock -n 9 || { echo "  waiting for another run using $1"; flock 9; }
	: >"$results"
}

# read_problems INIT: sets $problems, the words a guest fails on in its
# kernel log, read from its init so that the host and the guest look for
# the same; exits if INIT has none (an empty pattern matches every line).
read_problems() {
	problems=$(sed -n "s/^problems='\(.*\)'$/\1/p" "$1")
	[ -n "$problems" ] || { echo "$0: no problems= line in $1" >&2; exit 1; }
}

# console_problems NAME LOG OUT: what the kernel printed on the console
# LOG itself (a panic, a hung task), outside the guest's own output, into
# OUT; one result NAME FAIL naming the first such line. Needs $problems.
console_problems() {
	sed '/^DMC-OUTPUT-BEGIN /,/^DMC-OUTPUT-END /d; /^DMC-RESULT /d' "$2" |
		grep -E "$problems" >"$3" || true
	if [ -s "$3" ]; then
		note "$1" FAIL "$(head -n 1 "$3")"
		sed 's/^/    /' "$3"
	fi
}

# note NAME STATUS [REASON]: a result found on the host, like the guest's.
note() {
	echo "$*" >>"$results"
	echo "  $*"
}

# tally KVER [WHERE]: adds $results to the totals and prints its counts.
tally() {
	local p f s lines
	p=$(grep -c '^[^ ]* PASS' "$results" || true)
	f=$(grep -c '^[^ ]* FAIL' "$results" || true)
	s=$(grep -c '^[^ ]* SKIP' "$results" || true)
	echo "== $1: PASS $p, FAIL $f, SKIP $s${2:+ ($2)}"
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	lines=$(grep '^[^ ]* FAIL' "$results" | sed "s/^/  $1: /")
	[ -z "$lines" ] || failures+=$lines$'\n'
}

# totals: the last line, after the failed checks again (CI shows the end
# of a long log only); fails if any check failed.
totals() {
	[ -z "$failures" ] || printf 'failed:\n%s' "$failures"
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
}
