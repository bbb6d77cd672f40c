#!/bin/bash
# Helpers of the A/B gate (scripts/bench-ab.sh, scripts/bench-ab-guest.sh), sourced, never run;
# scripts/tests/bench-ab-test.sh tests them on the host.

# ab_order REPEATS: the blocks, one "REPEAT SIDE" a line. Balanced per repeat (A B B A: a drift
# linear in time costs both sides alike), and mirrored every other repeat (B A A B), so neither
# side is always first or last in a repeat.
ab_order() {
	local r
	[[ $1 =~ ^[1-9][0-9]*$ ]] || { echo "ab_order: want a repeat count, not '$1'" >&2; return 2; }
	for ((r = 1; r <= $1; r++)); do
		if ((r % 2)); then
			printf '%s base\n%s new\n%s new\n%s base\n' "$r" "$r" "$r" "$r"
		else
			printf '%s new\n%s base\n%s base\n%s new\n' "$r" "$r" "$r" "$r"
		fi
	done
}

# ab_merge OUT BLOCK_DIR...: one run directory that ubmap-report reads, from the blocks of one
# side (each a ubmap-bench run of repeat 1): their records in block order as repeats 1..N of
# one run (run id OUT's name), run.json of the first with the counts summed, matrix.txt and
# raw/guest-clock (its mtime is the clock offset) of the first.
ab_merge() {
	local out=$1 first=$2 id n b
	shift
	(($#)) || { echo "ab_merge: no blocks for $out" >&2; return 2; }
	for b in "$@"; do
		[[ -s $b/results.jsonl && -f $b/run.json ]] || { echo "ab_merge: $b: no results.jsonl or run.json" >&2; return 1; }
	done
	mkdir -p "$out/raw" || return 1
	id=$(basename "$out") n=$#
	local i=0
	for b in "$@"; do
		i=$((i + 1))
		jq -c --argjson rep "$i" --argjson n "$n" --arg id "$id" \
			'.repeat = $rep | .repeats = $n | .run_id = $id | .meta.run_id = $id' "$b/results.jsonl" || return 1
	done >"$out/results.jsonl"
	jq -s --arg id "$id" --argjson n "$n" \
		'.[0] + {run_id: $id, repeats: $n, runs_done: (map(.runs_done // 0) | add),
		 runs_planned: (map(.runs_planned // 0) | add), runs_failed: (map(.runs_failed // 0) | add),
		 status: (if all(.status == "complete") then "complete" else "incomplete" end),
		 blocks: map(.run_id)}' "${@/%//run.json}" >"$out/run.json" || return 1
	[[ ! -f $first/matrix.txt ]] || cp "$first/matrix.txt" "$out/"
	[[ ! -f $first/raw/guest-clock ]] || cp -p "$first/raw/guest-clock" "$out/raw/"
}

# ab_iops_rows COMPARE_TXT: how many cells compare's IOPS table has. A cell whose runs were all
# flagged as contended on one side has no timing left and no row: its throughput was not gated.
ab_iops_rows() {
	awk '/^IOPS \(/ { on = 1; next } on && /^Amean/ { next } on && NF == 0 { exit } on { n++ }
		END { print n + 0 }' "$1"
}

# ab_judge DIR THRESHOLD REPORT: DIR's blocks (ab_order's, the warm-up left out) merged into
# DIR/base and DIR/new, the knob checked, then REPORT compare's verdict, into DIR/compare.txt
# and DIR/verdict. DIR/ab.env says what ran (ab_repeats, ab_inject: the new side's knob or 0, ab_base, ab_new).
# Returns 0 ok, 1 regression, count change or a knob that did not take, 2 refused, 3 inconclusive.
ab_judge() {
	local dir=$1 threshold=$2 report=$3 side paid want rc=0 v cells rows
	local ab_repeats ab_inject ab_base ab_new blocks
	# shellcheck disable=SC1091 # written by bench-ab.sh
	. "$dir/ab.env" || return 2
	for side in base new; do
		mapfile -t blocks < <(find "$dir/blocks" -mindepth 1 -maxdepth 1 -name "[0-9][0-9]-$side" | sort)
		if ((${#blocks[@]} != 2 * ab_repeats)); then
			echo "bench-ab: $side: ${#blocks[@]} blocks in $dir/blocks, want $((2 * ab_repeats))" >&2
			return 1
		fi
		rm -rf "${dir:?}/$side"
		ab_merge "$dir/$side" "${blocks[@]}" || return 1
		[[ ! -f $dir/host-samples.csv ]] || cp "$dir/host-samples.csv" "$dir/$side/raw/"
	done
	# The knob must have been on where asked, and only there: the module counts who paid it.
	for side in base new; do
		paid=$(jq -s '[.[].module.injected // 0] | add' "$dir/$side/results.jsonl")
		want=0
		[[ $side == base || ${ab_inject:-0} == 0 ]] || want=some
		if [[ $want == 0 && $paid != 0 ]] || [[ $want == some && $paid == 0 ]]; then
			echo "bench-ab: FAIL: $side: $paid requests paid the injected delay, want ${want/some/every one}" | tee "$dir/verdict" >&2
			return 1
		fi
	done
	"$report" compare "$dir/base" "$dir/new" --threshold "$threshold" >"$dir/compare.txt" || rc=$?
	cat "$dir/compare.txt"
	case $rc in 0) v=ok ;; 1) v=FAIL ;; *) v=refused ;; esac
	# Contended runs keep their counts but lose their times: a pass with cells whose throughput
	# was not compared says nothing about throughput (run ab-20261202-131844: every run contended).
	cells=$(jq -r '.cell_id' "$dir/base/results.jsonl" | sort -u | wc -l)
	rows=$(ab_iops_rows "$dir/compare.txt")
	if ((rc == 0 && rows < cells)); then
		echo "bench-ab: throughput compared in $rows of $cells cells, the other runs flagged as contended (a busy host): counts ok; run it again on a quiet host" >&2
		v=inconclusive rc=3
	fi
	echo "bench-ab: $v: base $ab_base, new $ab_new, threshold $threshold %, $dir" | tee "$dir/verdict"
	return "$rc"
}
