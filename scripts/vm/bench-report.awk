#!/usr/bin/awk -f
# Turns the guest's "<test> <N> <config> <value> <unit>" lines into the
# Markdown tables of tests/bench/RESULTS.md, each row marked against the
# goals of the benchmark issue.  Set kver (-v kver=...) for the 6.1-only goal.

function ratio(a, b) { return b > 0 ? sprintf("%.4f", a / b) : "-" }
function mark(ok) { return ok ? "met" : "**missed**" }

{
	v[$1, $2, $3] = $4
	if (!(($1, $2) in seen)) {
		seen[$1, $2] = 1
		order[$1] = order[$1] " " $2
	}
}

END {
	print "| test | N | raw | dm-linear 1 line | dm-linear N lines | combine | combine / linear 1 | combine / linear N | goal |"
	print "|---|---:|---:|---:|---:|---:|---:|---:|---|"
	split("randread randwrite seqread128k", tests, " ")
	label["randread"] = "4 KiB random read"
	label["randwrite"] = "4 KiB random write"
	label["seqread128k"] = "128 KiB sequential read"
	for (t = 1; t <= 3; t++) {
		test = tests[t]
		n = split(order[test], ns, " ")
		for (i = 1; i <= n; i++) {
			N = ns[i]
			c = v[test, N, "combine"]; l1 = v[test, N, "linear1"]; lN = v[test, N, "linearN"]
			goal = "-"
			if (test != "seqread128k")
				goal = mark(c >= 0.995 * l1 && (N == 1 || c > lN))
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
				label[test], N, v[test, N, "raw"], l1, lN, c, ratio(c, l1), ratio(c, lN), goal
		}
	}

	print ""
	print "Flush-heavy writes (4 KiB, QD1, fsync after each write), N regions over two"
	print "null_blk devices with a volatile write cache (raw: one of them):"
	print ""
	print "| N | raw | dm-linear N lines | combine | combine / linear N | goal |"
	print "|---:|---:|---:|---:|---:|---|"
	n = split(order["fsync"], ns, " ")
	for (i = 1; i <= n; i++) {
		N = ns[i]
		c = v["fsync", N, "combine"]; lN = v["fsync", N, "linearN"]
		goal = "-"
		if (N == 10000 && kver ~ /^6\.1\./)
			goal = mark(c >= 10 * lN)
		printf "| %s | %s | %s | %s | %s | %s |\n", N, v["fsync", N, "raw"], lN, c,
			ratio(c, lN), goal
	}

	print ""
	print "Table load (guest time) and kernel memory per region (slab, vmalloc and per-CPU"
	print "memory before and after):"
	print ""
	print "| N | dm-linear load ms | combine load ms | dm-linear bytes/region | combine bytes/region | goal |"
	print "|---:|---:|---:|---:|---:|---|"
	n = split(order["load"], ns, " ")
	for (i = 1; i <= n; i++) {
		N = ns[i]
		goal = "-"
		if (N == 100000)
			goal = mark(v["load", N, "combine"] < 2000 && v["memory", N, "combine"] < 128)
		printf "| %s | %s | %s | %s | %s | %s |\n", N, v["load", N, "linearN"],
			v["load", N, "combine"], v["memory", N, "linearN"],
			v["memory", N, "combine"], goal
	}

	print ""
	print "`dmcombine create` of N volumes (null_blk devices) and `dmsetup create` of the"
	print "same table, guest time:"
	print ""
	print "| N volumes | dmcombine create ms | dmsetup create ms |"
	print "|---:|---:|---:|"
	n = split(order["create"], ns, " ")
	for (i = 1; i <= n; i++)
		printf "| %s | %s | %s |\n", ns[i], v["create", ns[i], "dmcombine"],
			v["create", ns[i], "dmsetup"]

	print ""
	print "Hot add under load: longest 4 KiB random read latency (QD32) on one volume"
	print "while `dmcombine add` appends 10 volumes one by one, and without adds:"
	print ""
	print "| adds | longest latency without adds, us | longest latency while adding, us |"
	print "|---:|---:|---:|"
	n = split(order["hotadd"], ns, " ")
	for (i = 1; i <= n; i++)
		printf "| %s | %s | %s |\n", ns[i], v["hotadd", ns[i], "none"],
			v["hotadd", ns[i], "adding"]
}
