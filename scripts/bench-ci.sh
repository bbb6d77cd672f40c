#!/bin/bash
# make bench-ci: the ci matrix, compared with the committed baseline of the tier it ran on
# (results/baseline/<tier>/). Times from another tier measure another machine, so where no
# baseline of this tier exists, it says so and gates on the exact counts alone (they do not
# depend on the tier) against one that does exist.
#   env: THRESHOLD (compare's, percent), HISTORY (results/history.csv, untracked),
#        COUNTS_ONLY=1 (gate on the exact counts alone, as .ci/run does: its throughput gate is
#        the A/B gate, like with like)
# Exit status: compare's (0 ok, 1 regression or count change, 2 refused), or bench.sh's.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
report=harness/build/ubmap-report
history=${HISTORY:-results/history.csv}

MATRIX=ci scripts/bench.sh
new=results/latest
tier=$(jq -r '.meta.tier // "unknown"' "$new/run.json")
opts=(${THRESHOLD:+--threshold "$THRESHOLD"})
[[ ${COUNTS_ONLY:-0} != 1 ]] || opts+=(--counts-only)
base=results/baseline/$tier
if [[ ! -f $base/run.json ]]; then
	other=$(find results/baseline -mindepth 2 -maxdepth 2 -name run.json -printf '%h\n' 2>/dev/null | sort | head -n1)
	if [[ -z $other ]]; then
		echo "bench-ci: no baseline under results/baseline/: nothing to compare with, not gating" >&2
		"$report" history-append "$new" "$history" --verdict no-baseline
		"$report" report "$new"
		exit 0
	fi
	echo "bench-ci: no baseline for tier $tier (results/baseline/$tier); gating on the exact counts only, against $other" >&2
	base=$other
	opts+=(--counts-only)
fi
rc=0
"$report" compare "$base" "$new" "${opts[@]}" >"$new/compare.txt" || rc=$?
cat "$new/compare.txt"
case $rc in 0) v=ok ;; 1) v=regression ;; *) v=refused ;; esac
[[ " ${opts[*]} " != *" --counts-only "* ]] || v=counts-$v
"$report" history-append "$new" "$history" --verdict "$v"
"$report" report "$new"
exit "$rc"
