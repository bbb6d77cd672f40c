#!/bin/bash
# Host tests of scripts/bench.sh, no guest needed (PLAN=1 stops before the run): every
# variable `ubmap-bench axes --vars` names reaches the matrix, none is silently ignored.
# usage: scripts/tests/bench-test.sh      exit: 0 pass, 1 fail, 77 skip (nothing built)
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
bench=$top/harness/build/ubmap-bench
# ubmap-bench plan checks these exist before it says anything.
for f in "$bench" "$top/harness/build/ubmapd" "$top/kmods/ubmap/ubmap.ko"; do
	[[ -e $f ]] || { echo "bench tests: SKIP, $f is not built (make all)"; exit 77; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "[       OK ] $1"; }
bad() { fail=$((fail + 1)); echo "[  FAILED  ] $1: $2"; }

# plan only looks for the tools: stand-ins are enough.
mkdir "$work/bin"
for t in fio perf gnuplot; do printf '#!/bin/sh\nexit 0\n' >"$work/bin/$t"; chmod +x "$work/bin/$t"; done
export PATH=$work/bin:$PATH
unset MATRIX VM
while read -r var _; do unset "$var"; done < <("$bench" axes --vars)

# plan VAR=VALUE...: bench.sh's plan with these variables, into $work/out.
plan() { env PLAN=1 MATRIX=ci "$@" "$top/scripts/bench.sh" >"$work/out" 2>&1; }

# The variables the matrix's settings have, which bench.sh used to drop.
if plan MAX_IO=2m QUEUE_DEPTH=16 PREFILL=0 BS=64k MODE=copy REPEAT=1 &&
	grep -qx 'max_io      = 2m' "$work/out" && grep -qx 'queue_depth = 16' "$work/out" &&
	grep -qx 'prefill     = 0' "$work/out" && grep -qx 'bs          = 64k' "$work/out" &&
	grep -qx 'mode        = copy' "$work/out" && grep -qx 'repeat      = 1' "$work/out"; then
	ok "settings and axes reach the plan"
else
	bad "settings and axes reach the plan" "$(cat "$work/out")"
fi

# Each one, by a value ubmap-bench must refuse, naming it: a dropped one would plan fine.
while read -r var name; do
	if plan "$var=bogus"; then
		bad "$var" "accepted $var=bogus: $(cat "$work/out")"
	elif ! grep -qF -- "--$name ($var=)" "$work/out"; then
		bad "$var" "no '--$name ($var=)' in: $(cat "$work/out")"
	else
		ok "$var is passed as --$name"
	fi
done < <("$bench" axes --vars)

# A plan is no run: no results directory appears.
before=$(ls "$top/results" 2>/dev/null)
plan MODE=copy
if [[ $(ls "$top/results" 2>/dev/null) == "$before" ]]; then
	ok "PLAN=1 makes no run directory"
else
	bad "PLAN=1 makes no run directory" "results/ changed"
fi

echo "bench tests: $pass passed, $fail failed"
((fail == 0))
