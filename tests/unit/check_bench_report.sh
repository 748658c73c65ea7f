#!/bin/bash
# The goal column of make bench's IOPS table is issue 13's goal (4 KiB
# random IOPS at least 0.99 of dm-linear with one line, at every N), and
# every IOPS table in tests/bench/RESULTS.md and analysis.md is what
# scripts/vm/bench-report.awk makes of its own rows, verdicts included.
set -eu
cd "$(dirname "$0")"
top=../..
report=$top/scripts/vm/bench-report.awk
header='| test | N | raw | dm-linear 1 line | dm-linear N lines | combine | combine / linear 1 | combine / linear N | goal |'
failed=0

fail() {
	echo "check_bench_report: FAIL: $*" >&2
	failed=1
}

# iops_table: the first table bench-report.awk prints for the BENCH rows
# ("<test> <N> <config> <value> <unit>") on stdin.
iops_table() {
	awk -f "$report" | sed '/^$/q' | sed '/^$/d'
}

# ---- the verdicts: N = 100 a little behind dm-linear with 100 lines ----
got=$(iops_table <<'EOF' | cut -d'|' -f2,3,10
randread 1 raw 6473 IOPS
randread 1 linear1 5353 IOPS
randread 1 linearN 5352 IOPS
randread 1 combine 5314 IOPS
randread 100 raw 6477 IOPS
randread 100 linear1 5354 IOPS
randread 100 linearN 5325 IOPS
randread 100 combine 5311 IOPS
randwrite 100 raw 6200 IOPS
randwrite 100 linear1 5157 IOPS
randwrite 100 linearN 5131 IOPS
randwrite 100 combine 5105 IOPS
seqread128k 100 raw 2949 IOPS
seqread128k 100 linear1 2675 IOPS
seqread128k 100 linearN 2653 IOPS
seqread128k 100 combine 2648 IOPS
EOF
)
want=' test | N | goal 
---|---:|---
 4 KiB random read | 1 | met 
 4 KiB random read | 100 | met 
 4 KiB random write | 100 | **missed** 
 128 KiB sequential read | 100 | - '
[ "$got" = "$want" ] || fail "verdicts: expected
$want
got
$got"

# ---- RESULTS.md and analysis.md: each IOPS table, made again from its rows ----
# rows_of TABLE: the BENCH rows a table of the IOPS header was made from.
rows_of() {
	awk -F' *[|] *' '
		NR > 2 {
			test = $2 == "4 KiB random read" ? "randread" :
			       $2 == "4 KiB random write" ? "randwrite" :
			       $2 == "128 KiB sequential read" ? "seqread128k" : "unknown:" $2
			printf "%s %s raw %s IOPS\n%s %s linear1 %s IOPS\n", test, $3, $4, test, $3, $5
			printf "%s %s linearN %s IOPS\n%s %s combine %s IOPS\n", test, $3, $6, test, $3, $7
		}'
}

tables=0
for file in $top/tests/bench/RESULTS.md $top/tests/bench/analysis.md; do
	while read -r start; do
		table=$(sed -n "$start,\$p" "$file" | sed '/^[^|]/q;/^$/q' | sed '/^[^|]/d;/^$/d')
		again=$(printf '%s\n' "$table" | rows_of | iops_table)
		tables=$((tables + 1))
		[ "$table" = "$again" ] ||
			fail "${file#"$top"/}:$start: the table is not what bench-report.awk makes of its rows:
$(diff <(printf '%s\n' "$table") <(printf '%s\n' "$again"))"
	done < <(grep -n -F -x -- "$header" "$file" | cut -d: -f1)
done
[ "$tables" -gt 0 ] || fail "no IOPS table found in tests/bench"

[ "$failed" -eq 0 ] && echo "check_bench_report: verdicts and $tables IOPS tables agree"
exit "$failed"
