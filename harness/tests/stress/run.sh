#!/bin/bash
# The reliability suite, in the guest (make stress; reduced inside make test).
#   run.sh [full|reduced]      STRESS=full|reduced, SEED=n (default: the clock),
#                              STRESS_ONLY=regex (cases by file name)
# Runs every harness/tests/stress/s-*.sh with the module unloaded before and
# after, a marker in the kernel log and the hung-task detector armed; a case
# fails on its exit status, a row with survived < iterations or data lost, or
# a kernel report (WARNING/BUG/Oops, a hung task) in its part of the log.
# Ends with the summary table; writes it as summary.tsv and summary.jsonl
# under $UBMAP_SHARE/stress (or /tmp/stress).  The same SEED replays a run.
set -uo pipefail

S=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$S/../../.." && pwd)
export STRESS=${1:-${STRESS:-full}}
[[ $STRESS == full || $STRESS == reduced ]] || { echo "run.sh: STRESS=$STRESS: want full or reduced" >&2; exit 2; }
export SEED=${SEED:-$(date +%s)}
[[ $SEED =~ ^[0-9]+$ ]] || { echo "run.sh: SEED=$SEED: want a whole number" >&2; exit 2; }
OUT=${UBMAP_SHARE:-/tmp}/stress
# Full: s-leaks.sh does 1 000 000 fio I/Os in each of 5 modes, about 17 min a mode under TCG.
CASE_TIMEOUT=${CASE_TIMEOUT:-$([[ $STRESS == full ]] && echo 7200 || echo 300)}
# What the guest suite fails on, and a task blocked past the detector's timeout.
REPORTS='WARNING:|BUG:|kernel BUG at|VM_BUG_ON|page dumped because|Oops|general protection|Call Trace|blocked for more than'
KO=${UBMAP_KO:-$TOP/kmods/ubmap/ubmap.ko}
export UBMAP_KO=$KO

[[ $(id -u) == 0 && -e /proc/sys/kernel/modules_disabled ]] || { echo "run.sh: run as root in the guest" >&2; exit 2; }
[[ -f $KO && -x $TOP/harness/build/stress/ackwrite ]] || { echo "run.sh: build first (make all)" >&2; exit 2; }
mkdir -p "$OUT"
rows=$OUT/summary.tsv
: >"$rows"
# A request the dead backend left waiting shows as a hung task within 10 s
# (the bound is 5 s); the default 120 s would outlast most cases.
if [[ -w /proc/sys/kernel/hung_task_timeout_secs ]]; then
	echo 10 >/proc/sys/kernel/hung_task_timeout_secs
	echo -1 >/proc/sys/kernel/hung_task_warnings
else
	echo "run.sh: no hung-task detector in this kernel" >&2
fi
echo "stress: $STRESS, seed $SEED ($(nproc) CPUs); replay: make stress STRESS=$STRESS SEED=$SEED"

mapfile -t cases < <(cd "$S" && ls s-*.sh)
[[ ${STRESS_ONLY:-} ]] && mapfile -t cases < <(printf '%s\n' "${cases[@]}" | grep -E -- "$STRESS_ONLY")
failed=()
lsmod | grep -q '^ubmap ' && rmmod ubmap
for c in "${cases[@]}"; do
	marker="ubmap-stress: $c seed $SEED"
	echo "$marker" >/dev/kmsg
	work=$(mktemp -d /tmp/ubmap-stress.XXXXXX)
	before=$(wc -l <"$rows")
	start=$SECONDS
	WORK=$work TOP=$TOP STRESS_ROWS=$rows timeout -k 10 "$CASE_TIMEOUT" \
		bash "$S/$c" >"$OUT/${c%.sh}.log" 2>&1
	rc=$?
	((rc == 124)) && echo "timed out after $CASE_TIMEOUT s" >>"$OUT/${c%.sh}.log"
	status=ok
	if lsmod | grep -q '^ubmap '; then
		for _ in $(seq 20); do rmmod ubmap 2>/dev/null && break; sleep 0.5; done
		lsmod | grep -q '^ubmap ' && { status="module left loaded"; rc=1; }
	fi
	((rc == 0)) || status="exit $rc"
	(($(wc -l <"$rows") > before)) || { status="no rows ($status)"; printf '%s\t0\t0\t0\t%s\t%s\n' "${c%.sh}" $((SECONDS - start)) "failed before a row" >>"$rows"; }
	if awk -F'\t' -v from="$before" 'NR > from && ($3 < $2 || $4 > 0) { bad = 1 } END { exit !bad }' "$rows"; then
		status="rows failed"
	fi
	klog=$(dmesg | sed -n "/$marker\$/,\$p")
	if bad=$(grep -E "$REPORTS" <<<"$klog"); then
		status="kernel report"
		{ echo "kernel log:"; echo "$klog"; } >>"$OUT/${c%.sh}.log"
		echo "$bad" | head -5 | sed 's/^/    /'
	fi
	rm -rf "$work"
	echo "$c: $status ($((SECONDS - start)) s; log $OUT/${c%.sh}.log)"
	if [[ $status != ok ]]; then
		failed+=("$c")
		tail -n 30 "$OUT/${c%.sh}.log" | sed 's/^/    /'
	fi
done
dmesg >"$OUT/dmesg.txt"

# The table, and the same rows as JSON lines.
{
	printf '%-28s %10s %9s %5s %7s  %s\n' case iterations survived lost time note
	awk -F'\t' '{ printf "%-28s %10s %9s %5s %6ss  %s\n", $1, $2, $3, $4, $5, $6 }' "$rows"
} | tee "$OUT/summary.txt"
awk -F'\t' -v seed="$SEED" -v stress="$STRESS" '{
	gsub(/["\\]/, "", $6)
	printf "{\"case\":\"%s\",\"iterations\":%d,\"survived\":%d,\"lost\":%d,\"seconds\":%d,\"note\":\"%s\",\"seed\":%s,\"stress\":\"%s\"}\n",
		$1, $2, $3, $4, $5, $6, seed, stress
}' "$rows" >"$OUT/summary.jsonl"
echo "stress: seed $SEED; summary in $OUT/summary.{txt,tsv,jsonl}"
if ((${#failed[@]})); then
	echo "stress: FAILED: ${failed[*]}"
	exit 1
fi
echo "stress: all ${#cases[@]} cases passed"
