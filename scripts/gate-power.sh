#!/bin/bash
# scripts/gate-power.sh [N]: the A/B gate's false-alarm and detection rates, measured rather
# than simulated: N A/A runs (scripts/bench-ab.sh HEAD, both sides this commit, the knob off) and
# N runs with a simulated 10 % regression (INJECT_PCT=11 on the new side: at QD1 a wait of 11 %
# of the request period takes 10 % off, kmods/ubmap/inject.c), alternating A/A and A/B so the
# two sets share the host's good and bad minutes. One line a run, then the tallies, also in
# results/gate-power-<time>.txt. About 2.5 min a run; needs a clean, built tree (make all).
#   env: PCT (11), THRESHOLD, REPEAT and PROFILE (bench-ab's; PROFILE=insn THRESHOLD=100: the
#        instruction gate alone)
# Exit status: 0 the goals met (false alarms <= 5 % of A/A, detection >= 90 % of A/B), 1 not, 2
# bad usage.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
n=${1:-10} pct=${PCT:-11}
[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "gate-power: N=$n: want a positive count" >&2; exit 2; }
[[ $pct =~ ^[1-9][0-9]?$ ]] || { echo "gate-power: PCT=$pct: want 1..99" >&2; exit 2; }
[[ -z $(git status --porcelain --untracked-files=no) ]] ||
	{ echo "gate-power: the tree has uncommitted changes: A/A would not be A/A (commit first)" >&2; exit 2; }
mkdir -p results
out=results/gate-power-$(date -u +%Y%m%d-%H%M%S)-$(git rev-parse --short HEAD).txt
echo "# gate-power: $n A/A and $n A/B (inject_pct=$pct) runs of scripts/bench-ab.sh HEAD at $(git rev-parse --short HEAD), threshold ${THRESHOLD:-5}, profile ${PROFILE:-none}" | tee "$out"
declare -A runs=() fails=() odd=()
for ((i = 1; i <= n; i++)); do
	for kind in aa ab; do
		knob=0
		[[ $kind == aa ]] || knob=$pct
		rc=0
		INJECT_PCT=$knob scripts/bench-ab.sh HEAD >"$out.log" 2>&1 || rc=$?
		dir=$(grep -o 'results/ab-[^ ]*' "$out.log" | tail -n 1)
		# Each throughput row of compare: its cell and the new side's change.
		deltas=$(awk '/^IOPS \(/ { on = 1; next } on && NF == 0 { exit }
			on && /%/ { for (i = 1; i <= NF; i++) if ($i ~ /%/) { v = $i; gsub(/[()*]/, "", v); printf "%s %s; ", $1, v; break } }' \
			"${dir:-/nonexistent}/compare.txt" 2>/dev/null)
		runs[$kind]=$((${runs[$kind]:-0} + 1))
		case $rc in
		0) verdict=pass ;;
		1) verdict=FAIL fails[$kind]=$((${fails[$kind]:-0} + 1)) ;;
		*) verdict="other (exit $rc)" odd[$kind]=$((${odd[$kind]:-0} + 1)) ;;
		esac
		echo "$i $kind: $verdict; ${deltas:-no IOPS rows}${dir:+ $dir}" | tee -a "$out"
		((rc <= 1)) || tail -n 5 "$out.log" | sed 's/^/    /' | tee -a "$out"
	done
done
rm -f "$out.log"
aa_fail=${fails[aa]:-0} ab_fail=${fails[ab]:-0}
{
	echo "A/A: $aa_fail false alarms in ${runs[aa]} runs (${odd[aa]:-0} neither pass nor fail)"
	echo "A/B (inject_pct=$pct): $ab_fail detected in ${runs[ab]} runs (${odd[ab]:-0} neither pass nor fail)"
} | tee -a "$out"
((aa_fail * 100 <= 5 * runs[aa] && ab_fail * 100 >= 90 * runs[ab]))
