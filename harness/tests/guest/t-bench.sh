#!/bin/bash
# t-bench.sh: ubmap-bench runs a tiny matrix (2 modes x 2 sizes x read and
# write, 2 s each) and its records hold up: schema, I/O counts that match
# fio's own output and the device's, pages mapped and TLB flushes for
# mkspecial, copied bytes for copy.  Then a ^C part way through a second
# run: fio and ubmapd stop, what finished is kept, the run says so.
set -euo pipefail
# shellcheck source=harness/tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"
BENCH=$TOP/harness/build/ubmap-bench
out=$WORK/run
command -v jq >/dev/null || skip "jq is not installed"

# The runner loaded the module; ubmap-bench loads its own, with its own parameters.
rmmod ubmap
"$BENCH" run --matrix "$(dirname "$0")/t-bench.matrix" --ko "$KO" --out "$out" \
	--meta git_sha=test >"$WORK/bench.log" 2>&1 || { cat "$WORK/bench.log"; fail "ubmap-bench run failed"; }
grep -E '^\[|complete' "$WORK/bench.log" | sed 's/^/  /' | head -12

run=$out/run.json
[[ $(jq -r .status "$run") == complete ]] || fail "run.json status $(jq -r .status "$run")"
(($(jq .runs_done "$run") == 8 && $(jq .runs_failed "$run") == 0)) || fail "runs: $(jq -c '[.runs_done, .runs_failed]' "$run")"
jq -e '.harness.fio_s > 0 and .harness.wall_s >= .harness.fio_s' "$run" >/dev/null || fail "harness times: $(jq -c .harness "$run")"
(($(wc -l <"$out/results.jsonl") == 8)) || fail "results.jsonl: $(wc -l <"$out/results.jsonl") records, want 8"
(($(wc -l <"$out/summary.csv") == 9)) || fail "summary.csv: want a header and 8 rows"

# Every record, in one jq pass (a jq per check is slow under TCG): each
# failed check prints "cell: what".
problems=$(jq -r --arg tier "${UBMAP_VM_TIER:-}" --arg why "${UBMAP_VM_TIER_REASON:-}" --arg kernel "$(uname -r)" '
	.cell_id as $id | . as $r |
	def bad(cond; msg): if cond then "\($id): \(msg)" else empty end;
	(["schema", "run_id", "cell", "meta", "fio", "perf", "system", "module",
	  "klog", "metrics", "raw"][] | . as $k | select($r | has($k) | not) | "\($id): no \($k)"),
	bad(.status != "ok"; "status \(.status): \(.error)"),
	bad($tier != "" and .meta.tier != $tier; "tier \(.meta.tier), want \($tier)"),
	bad($why != "" and .meta.tier_reason != $why; "tier_reason \(.meta.tier_reason), want \($why)"),
	bad(.meta.pat != "on" and .meta.pat != "off"; "pat \(.meta.pat)"),
	bad(.meta.kernel != $kernel or .meta.git_sha != "test"; "meta \(.meta)"),
	bad((.fio.total_ios // 0) <= 0 or (.metrics.iops // 0) <= 0; "no I/O"),
	# Direct I/O: one device request per fio I/O, no more, no less.
	bad(.module.reads + .module.writes != .fio.total_ios;
	    "the device served \(.module.reads + .module.writes) requests for \(.fio.total_ios) I/Os"),
	bad((.system.cpu_busy_us // 0) <= 0 or (.metrics.cpu_us_per_io // 0) <= 0; "no CPU time"),
	bad(.klog.bug != 0 or .klog.oops != 0; "BUG/Oops in the kernel log"),
	# No PMU under TCG: unavailable is null, never 0.
	bad(.meta.tier == "tcg" and (.perf.cycles != null or .metrics.cycles_per_io != null);
	    "cycles \(.perf.cycles) under TCG"),
	if .cell.mode == "copy" then
		bad(.metrics.copy_bytes_per_io != .cell.bs; "copy_bytes_per_io \(.metrics.copy_bytes_per_io)"),
		bad(.module.pages_mapped != 0; "copy mode mapped pages")
	else
		bad(.metrics.pages_per_io != .cell.bs / 4096;
		    "pages_per_io \(.metrics.pages_per_io), want \(.cell.bs / 4096)"),
		bad(.module.copy_bytes != 0; "\(.cell.mode) copied bytes"),
		# Every request is unmapped, and that flushes the TLB.
		bad((.perf.tlb_flush_all // 0) <= 0 or
		    .perf.tlb_flush_local_mm_shootdown + .perf.tlb_flush_local_shootdown +
		    .perf.tlb_flush_remote_send_ipi <= 0; "no TLB flushes: \(.perf)"),
		bad(.perf | .tlb_flush_task_switch + .tlb_flush_remote_shootdown +
		    .tlb_flush_local_shootdown + .tlb_flush_local_mm_shootdown +
		    .tlb_flush_remote_send_ipi != .tlb_flush_all; "TLB flush reasons do not add up: \(.perf)")
	end' "$out/results.jsonl")
[[ -z $problems ]] || fail "$problems"

# The record must say what fio said, and keep what it was said in.
while IFS=$'\t' read -r id ios fio perf klog log job; do
	for f in "$fio" "$perf" "$klog" "$job"; do
		[[ -s $out/$f ]] || fail "$id: raw file $f missing or empty"
	done
	[[ -e $out/$log ]] || fail "$id: raw file $log missing"
	raw_ios=$(jq --arg j "$id" '[.jobs[] | select(.jobname == $j) | .read.total_ios + .write.total_ios] | add' "$out/$fio")
	((ios == raw_ios)) || fail "$id: fio.total_ios $ios, fio's JSON says $raw_ios"
done < <(jq -r '[.cell_id, .fio.total_ios, .raw.fio, .raw.perf, .raw.klog, .raw.log, .raw.job] | @tsv' "$out/results.jsonl")
jq -r '"\(.cell_id): \(.metrics.iops | floor) IOPS, \(.metrics.cpu_us_per_io | floor) us CPU/IO, \(.metrics.tlb_flushes_per_io * 100 | floor / 100) TLB flushes/IO"' \
	"$out/results.jsonl" | while read -r line; do note "$line"; done

# ^C during the second cell of the second group (4 cells per group).
out=$WORK/stopped
"$BENCH" run --matrix "$(dirname "$0")/t-bench.matrix" --ko "$KO" --runtime 3 --out "$out" \
	>"$WORK/bench2.log" 2>&1 &
pid=$!
for ((i = 0; i < 600; i++)); do
	grep -q '^\[6/8\]' "$WORK/bench2.log" && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
((rc == 130)) || { cat "$WORK/bench2.log"; fail "ubmap-bench exited $rc after ^C, want 130"; }
[[ $(jq -r .status "$out/run.json") == interrupted ]] || fail "run.json status $(jq -r .status "$out/run.json")"
n=$(wc -l <"$out/results.jsonl")
((n == 5)) || fail "$n records kept after ^C in the 6th run, want the 5 that finished"
[[ $(jq -s 'all(.status == "ok")' "$out/results.jsonl") == true ]] || fail "a kept record is not ok"
! pgrep -x fio >/dev/null || fail "fio still runs"
! pgrep -x ubmapd >/dev/null || fail "ubmapd still runs"
! lsmod | grep -q '^ubmap ' || fail "the module is still loaded"
note "^C: exit 130, $n records kept, run.json says interrupted"
# Leave it loaded, as the runner expects to unload it.
insmod "$KO"
