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
				goal = mark(c >= 0.99 * l1 && (N == 1 || c > lN))
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

	if (order["fsync-members"] != "") {
		print ""
		print "One fsync to 1,000 distinct members (1,000 dm-linear devices of 1 MiB over"
		print "one null_blk with a volatile write cache; 4 KiB writes, QD1, fsync after each):"
		print ""
		print "| members | dm-linear N lines | combine | combine / linear N |"
		print "|---:|---:|---:|---:|"
		n = split(order["fsync-members"], ns, " ")
		for (i = 1; i <= n; i++) {
			N = ns[i]
			c = v["fsync-members", N, "combine"]; lN = v["fsync-members", N, "linearN"]
			printf "| %s | %s | %s | %s |\n", N, lN, c, ratio(c, lN)
		}
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

	if (order["memory-cpus"] != "") {
		print ""
		print "Kernel memory per region (slab, vmalloc and per-CPU memory before and after"
		print "the load) by possible CPUs (`possible_cpus=256` on the kernel command line),"
		print "and the guest time per call of `dmsetup status` and of the stats_reset message at"
		print "1 and 100,000 regions (1 region: what dmsetup itself takes). Two possible"
		print "CPUs come from the two-vCPU pass without -icount: wall-clock times."
		print ""
		print "| possible CPUs | N | dm-linear bytes/region | combine bytes/region | status ms | stats_reset ms | goal |"
		print "|---:|---:|---:|---:|---:|---:|---|"
		for (key in v) {
			split(key, k, SUBSEP)
			if (k[1] == "memory-cpus" && k[3] ~ /^combine-/) {
				cpus = substr(k[3], 9)
				rows[cpus + 0, k[2] + 0] = 1
				cpulist[cpus + 0] = 1
			}
		}
		ncpus = 0
		for (c in cpulist)
			cpusorted[++ncpus] = c + 0
		for (a = 1; a <= ncpus; a++)
			for (b = a + 1; b <= ncpus; b++)
				if (cpusorted[b] < cpusorted[a]) {
					t = cpusorted[a]; cpusorted[a] = cpusorted[b]; cpusorted[b] = t
				}
		for (a = 1; a <= ncpus; a++) {
			cpus = cpusorted[a]
			split("1 10000 100000", nlist, " ")
			for (b = 1; b <= 3; b++) {
				N = nlist[b]
				if (!((cpus, N) in rows))
					continue
				l = v["memory-cpus", N, "linearN-" cpus]
				c = v["memory-cpus", N, "combine-" cpus]
				st = v["status", N, "cpus-" cpus]
				rs = v["stats-reset", N, "cpus-" cpus]
				goal = "-"
				if (N == 10000 && l != "")
					goal = mark(c <= l)
				if (N == 100000)
					goal = mark(c <= 125 && st < 50 && rs < 50)
				# One region: dmsetup's own time; per-region memory is noise.
				if (N == 1)
					l = c = ""
				printf "| %s | %s | %s | %s | %s | %s | %s |\n", cpus, N,
					l == "" ? "-" : l, c == "" ? "-" : c, st == "" ? "-" : st,
					rs == "" ? "-" : rs, goal
			}
		}
	}

	if (order["numjobs2-randread"] != "") {
		print ""
		print "Two vCPUs on one volume (fio numjobs=2, 4 KiB random, QD16 each; combine"
		print "with one region, so both jobs add to the same counters):"
		print ""
		print "| test | round | dm-linear 1 line | combine | combine / linear 1 |"
		print "|---|---:|---:|---:|---:|"
		split("randread randwrite", rws, " ")
		for (i = 1; i <= 2; i++) {
			n = split(order["numjobs2-" rws[i]], ns, " ")
			for (j = 1; j <= n; j++) {
				l1 = v["numjobs2-" rws[i], ns[j], "linear1"]
				c = v["numjobs2-" rws[i], ns[j], "combine"]
				printf "| 4 KiB %s | %s | %s | %s | %s |\n", rws[i], ns[j], l1, c, ratio(c, l1)
			}
		}
	}

	if (order["lat-randread"] != "") {
		print ""
		print "The latency feature (issue 17): 4 KiB random I/O, QD32, N regions; IOPS"
		print "under -icount are inverse instructions per I/O (goal: latency costs under"
		print "3 % more than combine without it):"
		print ""
		print "| test | N | dm-linear 1 line | combine | combine latency | latency / combine | goal |"
		print "|---|---:|---:|---:|---:|---:|---|"
		split("randread randwrite", rws, " ")
		for (i = 1; i <= 2; i++) {
			n = split(order["lat-" rws[i]], ns, " ")
			for (j = 1; j <= n; j++) {
				l1 = v["lat-" rws[i], ns[j], "linear1"]
				c = v["lat-" rws[i], ns[j], "combine"]
				lat = v["lat-" rws[i], ns[j], "latency"]
				printf "| 4 KiB %s | %s | %s | %s | %s | %s | %s |\n", rws[i], ns[j],
					l1, c, lat, ratio(lat, c), mark(lat * 1.03 >= c)
			}
		}
	}

	if (order["status-split"] != "") {
		print ""
		print "Where `dmsetup status` spends its guest time (ms per call; bytes of its output):"
		print ""
		print "| N | load ms | info ms | status ms | table ms | status bytes | status with latency ms | bytes |"
		print "|---:|---:|---:|---:|---:|---:|---:|---:|"
		n = split(order["status-split"], ns, " ")
		for (i = 1; i <= n; i++) {
			N = ns[i]
			printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", N, v["status-split", N, "load"],
				v["status-split", N, "info"], v["status-split", N, "status"],
				v["status-split", N, "table"], v["status-split", N, "status-bytes"],
				v["status-split", N, "status-latency"],
				v["status-split", N, "status-latency-bytes"]
		}
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

	if (order["move"] != "") {
		print ""
		print "`dmcombine move` of one volume between two null_blk devices (the kernel's"
		print "mirror target copies), against `dd iflag=direct oflag=direct bs=1M` between"
		print "the same two; and the 99th percentile of 4 KiB random reads (QD32) on another"
		print "volume of the device, and on the moving volume itself, while the move runs:"
		print ""
		print "| devices | MiB | dd MiB/s | move MiB/s | move / dd | p99 without, us | p99 moving, us | own p99 without, us | own p99 moving, us | goal |"
		print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
		n = split(order["move"], ns, " ")
		for (i = 1; i <= n; i++) {
			N = ns[i]
			p0 = v["move-latency", N, "none"]; p1 = v["move-latency", N, "moving"]
			d = v["move", N, "dd"]; m = v["move", N, "move"]
			printf "| null_blk | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", N, d, m,
				ratio(m, d), p0, p1, v["move-latency", N, "own-none"],
				v["move-latency", N, "own-moving"], mark(m >= 0.8 * d && p1 <= 2 * p0)
			d = v["move", N, "dd-50MBps"]; m = v["move", N, "move-50MBps"]
			if (d != "")
				printf "| null_blk, 50 MB/s | %s | %s | %s | %s | - | - | - | - | %s |\n", N, d, m,
					ratio(m, d), mark(m >= 0.8 * d)
		}
	}
}
