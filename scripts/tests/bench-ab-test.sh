#!/bin/bash
# Host tests of the A/B gate (scripts/bench-ab.sh, scripts/ab-lib.sh), no guest needed: its
# refusals of bad input, the block order, and the merging of one side's blocks into a run
# that ubmap-report compare reads as repeats (a merge that lost them would leave the pairs
# untested; one that lost records, a regression unseen).
# usage: scripts/tests/bench-ab-test.sh      exit: 0 pass, 1 fail, 77 skip (nothing built)
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
report=$top/harness/build/ubmap-report
fixture=$top/harness/tests/report/fixtures/run
for f in "$report" "$top/harness/build/ubmap-bench"; do
	[[ -x $f ]] || { echo "bench-ab tests: SKIP, $f is not built (make all)"; exit 77; }
done
command -v jq >/dev/null || { echo "bench-ab tests: SKIP, no jq (make deps)"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-ab-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "[       OK ] $1"; }
bad() { fail=$((fail + 1)); echo "[  FAILED  ] $1: $2"; }
# shellcheck source=scripts/ab-lib.sh
. "$top/scripts/ab-lib.sh"
unset THRESHOLD REPEAT MATRIX SEED INJECT_NS INJECT_PCT AB_DRY
export AB_CACHE=$work/cache

# refused NAME WANT [VAR=VALUE...] -- ARGS...: bench-ab must exit 2 saying WANT, and build nothing.
refused() {
	local name=$1 want=$2 envs=()
	shift 2
	while [[ $1 != -- ]]; do envs+=("$1"); shift; done
	shift
	env "${envs[@]}" "$top/scripts/bench-ab.sh" "$@" >"$work/out" 2>&1
	local rc=$?
	if ((rc != 2)); then
		bad "$name" "exit $rc, want 2: $(cat "$work/out")"
	elif ! grep -qF -- "$want" "$work/out"; then
		bad "$name" "no '$want' in: $(cat "$work/out")"
	elif [[ -e $AB_CACHE ]]; then
		bad "$name" "built something in $AB_CACHE"
	else
		ok "$name"
	fi
}
refused "no revision" "usage: scripts/bench-ab.sh BASE_REV" --
refused "three arguments" "usage:" -- HEAD HEAD HEAD
refused "a missing base" "BASE_REV 'no-such-rev' is not a commit" -- no-such-rev
refused "a missing new" "NEW_REV 'deadbeefdeadbeef' is not a commit" -- HEAD deadbeefdeadbeef
refused "a tree is no commit" "BASE_REV 'HEAD^{tree}' is not a commit" -- 'HEAD^{tree}'
refused "INJECT_NS not a number" "INJECT_NS=10us" INJECT_NS=10us -- HEAD
refused "INJECT_NS over the module's cap" "INJECT_NS=1000001" INJECT_NS=1000001 -- HEAD
refused "INJECT_PCT over 100" "INJECT_PCT=101" INJECT_PCT=101 -- HEAD
refused "INJECT_NS and INJECT_PCT" "set one of them" INJECT_NS=1000 INJECT_PCT=11 -- HEAD
refused "one repeat cannot be tested" "REPEAT=1" REPEAT=1 -- HEAD
refused "THRESHOLD not a number" "THRESHOLD=five" THRESHOLD=five -- HEAD
refused "SEED not a number" "SEED=-3" SEED=-3 -- HEAD
refused "an unknown matrix" "matrix 'no-such-matrix' refused" MATRIX=no-such-matrix -- HEAD

# A dry run against a stand-in build of HEAD: the knob goes to the new side only.
head=$(git -C "$top" rev-parse HEAD)
mkdir -p "$AB_CACHE/$head/src/kmods/ubmap" "$AB_CACHE/$head/src/harness/build"
touch "$AB_CACHE/$head/built" "$AB_CACHE/$head/src/kmods/ubmap/ubmap.ko"
printf '#!/bin/sh\n' >"$AB_CACHE/$head/src/harness/build/ubmapd"
chmod +x "$AB_CACHE/$head/src/harness/build/ubmapd"
if [[ -f $top/kmods/ubmap/ubmap.ko && -x $top/harness/build/ubmapd ]]; then
	if AB_DRY=1 INJECT_NS=15000 REPEAT=2 SEED=7 "$top/scripts/bench-ab.sh" HEAD 2>/dev/null >"$work/out" &&
		read -ra cmd <"$work/out" && ((${#cmd[@]} == 10)) && [[ ${cmd[0]} == scripts/bench-ab-guest.sh &&
		${cmd[2]} == gate && ${cmd[3]} == 2 && ${cmd[4]} == 7 &&
		${cmd[5]} == "$AB_CACHE/$head/src/kmods/ubmap/ubmap.ko" &&
		${cmd[7]} == "$top/kmods/ubmap/ubmap.ko" && ${cmd[9]} == inject_ns=15000 ]]; then
		ok "dry run: base from its build, new from the tree, inject_ns on new only"
	else
		bad "dry run" "$(cat "$work/out")"
	fi
	if AB_DRY=1 INJECT_PCT=11 "$top/scripts/bench-ab.sh" HEAD 2>/dev/null >"$work/out" &&
		read -ra cmd <"$work/out" && ((${#cmd[@]} == 10)) && [[ ${cmd[9]} == inject_pct=11 ]]; then
		ok "dry run: inject_pct on new"
	else
		bad "dry run with INJECT_PCT" "$(cat "$work/out")"
	fi
	if AB_DRY=1 "$top/scripts/bench-ab.sh" HEAD HEAD 2>/dev/null >"$work/out" && read -ra cmd <"$work/out" &&
		((${#cmd[@]} == 9)) && [[ ${cmd[7]} == "$AB_CACHE/$head/src/kmods/ubmap/ubmap.ko" ]]; then
		ok "dry run A/A of two revisions: both from the cache, no knob"
	else
		bad "dry run A/A" "$(cat "$work/out")"
	fi
else
	echo "[  SKIPPED ] dry runs: the working tree is not built"
fi

# ubmap-bench's --ko-params, which carries the knob: a value insmod would split or cut is refused.
for kp in 'inject_ns="1"' "$(printf 'a=1\nb=2')" "$(printf 'x%.0s' {1..97})"; do
	if "$top/harness/build/ubmap-bench" run --matrix gate --out "$work/kp" --ko-params "$kp" >"$work/out" 2>&1; then
		bad "--ko-params '$kp'" "accepted"
	elif (($? == 2)) && grep -q -- "--ko-params wants" "$work/out"; then
		kp=${kp//$'\n'/\\n}; ok "--ko-params refuses '${kp:0:12}...'"
	else
		bad "--ko-params '$kp'" "$(cat "$work/out")"
	fi
done

# The block order: per repeat A B B A, mirrored every other repeat; 2 blocks a side per repeat.
if [[ $(ab_order 2 | tr '\n' ' ') == "1 base 1 new 1 new 1 base 2 new 2 base 2 base 2 new " ]]; then
	ok "ab_order 2"
else
	bad "ab_order 2" "$(ab_order 2 | tr '\n' ' ')"
fi
# Balanced: in every repeat the positions of each side add up to the same (1+4 = 2+3).
unbalanced=$(ab_order 7 | awk '{ p = (NR - 1) % 4 + 1; s[$1 " " $2] += p; n[$2]++ }
	END { for (k in s) if (s[k] != 5) print k; if (n["base"] != 14 || n["new"] != 14) print "count" }')
if [[ -z $unbalanced ]]; then ok "ab_order 7 balanced"; else bad "ab_order 7 balanced" "$unbalanced"; fi
for badrep in 0 -1 x ''; do
	if ab_order "$badrep" >/dev/null 2>&1; then bad "ab_order '$badrep'" "accepted"; else ok "ab_order '$badrep' refused"; fi
done

# The guest half with a stand-in ubmap-bench that logs its arguments: the warm-up block, then
# ab_order's blocks, each with its side's module and daemon, the knob on new only, and one
# seed per repeat shared by its four blocks; and a perf-hold for the whole boot.
printf '#!/bin/bash\necho "$*" >>"%s"\n' "$work/bench-args" >"$work/fake-bench"
chmod +x "$work/fake-bench"
if AB_BENCH=$work/fake-bench "$top/scripts/bench-ab-guest.sh" "$work/g" gate 2 40 bko bd nko nd \
	inject_ns=9 >/dev/null 2>&1; then
	got=$(awk '{ delete a; for (i = 1; i < NF; i++) a[$i] = $(i + 1)
		if ($1 != "perf-hold") printf "%s %s %s %s %s %s\n", a["--out"], a["--seed"], a["--ko"], a["--ubmapd"],
			a["--ko-params"] ? a["--ko-params"] : "-", a["--repeat"] }' "$work/bench-args" | sed "s|$work/g/blocks/||")
	want="00-warmup 40 nko nd inject_ns=9 1
01-base 41 bko bd - 1
02-new 41 nko nd inject_ns=9 1
03-new 41 nko nd inject_ns=9 1
04-base 41 bko bd - 1
05-new 42 nko nd inject_ns=9 1
06-base 42 bko bd - 1
07-base 42 bko bd - 1
08-new 42 nko nd inject_ns=9 1"
	if [[ $got == "$want" ]]; then ok "guest half: blocks, builds, knob and seeds"; else bad "guest half" "$got"; fi
	if grep -qx "perf-hold" "$work/bench-args"; then ok "guest half: a perf-hold for the boot"; else bad "guest half" "no perf-hold"; fi
else
	bad "guest half" "exit $?"
fi
if AB_BENCH=$work/fake-bench "$top/scripts/bench-ab-guest.sh" "$work/g2" gate 2 >/dev/null 2>&1; then
	bad "guest half, too few arguments" "accepted"
else
	ok "guest half refuses too few arguments"
fi

# blocks DIR SCALE: the fixture's 3 repeats as 3 blocks of one repeat each (as the guest
# writes them), 4k IOPS and bandwidth times SCALE.
blocks() {
	local r
	for r in 1 2 3; do
		mkdir -p "$1/0$r-side/raw"
		jq -c --argjson r "$r" --argjson s "$2" 'select(.repeat == $r) | .repeat = 1 | .repeats = 1 |
			if .cell.bs == 4096 then .fio.iops *= $s | .fio.bw_bytes *= $s | .fio.read.iops *= $s |
			.fio.read.bw_bytes *= $s | .metrics.iops *= $s | .metrics.bw_mib_s *= $s else . end' \
			"$fixture/results.jsonl" >"$1/0$r-side/results.jsonl"
		jq '.repeats = 1 | .runs_done = 18 | .runs_planned = 18' "$fixture/run.json" >"$1/0$r-side/run.json"
		cp "$fixture/matrix.txt" "$1/0$r-side/"
	done
}
blocks "$work/b" 1
blocks "$work/n" 0.85
ab_merge "$work/base" "$work"/b/0[1-3]-side && ab_merge "$work/new" "$work"/n/0[1-3]-side
if [[ $(jq -s 'length' "$work/base/results.jsonl") == 54 &&
	$(jq -s '[.[].repeat] | unique == [1, 2, 3]' "$work/base/results.jsonl") == true &&
	$(jq -s 'all(.repeats == 3 and .run_id == "base")' "$work/base/results.jsonl") == true &&
	$(jq '.repeats == 3 and .runs_done == 54 and .run_id == "base" and (.blocks | length) == 3' \
		"$work/base/run.json") == true ]]; then
	ok "ab_merge: 3 blocks, 54 records as repeats 1..3 of one run"
else
	bad "ab_merge" "$(jq -c '{repeat, repeats, run_id}' "$work/base/results.jsonl" | sort | uniq -c)"
fi
"$report" compare "$fixture" "$work/base" >"$work/cmp" 2>&1
rc=$?
if ((rc == 0)) && grep -q '^compare: ok: 0 throughput regressions' "$work/cmp" && ! grep -q 'pairs untested' "$work/cmp"; then
	ok "compare reads a merged run as the run it came from"
else
	bad "compare fixture merged" "exit $rc: $(tail -n 4 "$work/cmp")"
fi
# The inconclusive check: all 18 cells have an IOPS row; a compare whose times were all left out
# (every run contended) has none.
rows=$(ab_iops_rows "$work/cmp")
if ((rows == 18)); then ok "ab_iops_rows: 18 cells"; else bad "ab_iops_rows" "$rows rows, want 18"; fi
sed '/^IOPS (/,/^$/d' "$work/cmp" >"$work/cmp-notimes"
rows=$(ab_iops_rows "$work/cmp-notimes")
if ((rows == 0)); then ok "ab_iops_rows: none without times"; else bad "ab_iops_rows without times" "$rows"; fi
"$report" compare "$work/base" "$work/new" --threshold 5 >"$work/cmp" 2>&1
rc=$?
if ((rc == 1)) && grep -q '^compare: FAIL: [1-9][0-9]* throughput regression' "$work/cmp"; then
	ok "compare of two merged runs fails on -15 % at 4k"
else
	bad "compare merged -15 %" "exit $rc: $(tail -n 4 "$work/cmp")"
fi
if ab_merge "$work/x" "$work/b/01-side" "$work/nowhere" 2>"$work/out"; then
	bad "ab_merge a missing block" "merged"
else
	if grep -q "nowhere: no results.jsonl" "$work/out"; then
		ok "ab_merge refuses a missing block"
	else
		bad "ab_merge a missing block" "$(cat "$work/out")"
	fi
fi

# --judge: a run directory as the guest leaves it (blocks/NN-SIDE, ab.env), gated again.
# abrun DIR INJECT: base from the fixture's repeats 1 and 2, new from $work/n (4k 15 % slower)
# or, with a third argument, $work/b (the same runs).
abrun() {
	local src=$work/n
	[[ -z ${3:-} ]] || src=$work/b
	mkdir -p "$1/blocks"
	cp -r "$work/b/01-side" "$1/blocks/01-base"; cp -r "$work/b/02-side" "$1/blocks/04-base"
	cp -r "$src/01-side" "$1/blocks/02-new"; cp -r "$src/02-side" "$1/blocks/03-new"
	printf 'ab_repeats=1 ab_inject=%s ab_base=b ab_new=n\n' "$2" >"$1/ab.env"
}
# judged NAME RC WANT DIR: bench-ab --judge DIR must exit RC and say WANT.
judged() {
	"$top/scripts/bench-ab.sh" --judge "$4" >"$work/out" 2>&1
	local rc=$?
	if ((rc == $2)) && grep -qF -- "$3" "$work/out"; then ok "$1"; else bad "$1" "exit $rc: $(tail -n 3 "$work/out")"; fi
}
abrun "$work/aa" 0 same
judged "--judge A/A passes" 0 "bench-ab: ok: base b, new n" "$work/aa"
abrun "$work/ab" 0
judged "--judge -15 % at 4k fails" 1 "bench-ab: FAIL" "$work/ab"
abrun "$work/knob" 500 same
judged "--judge a knob that did not take fails" 1 "new: 0 requests paid the injected delay" "$work/knob"
abrun "$work/pct" inject_pct=11 same
judged "--judge a percentage knob that did not take fails" 1 "new: 0 requests paid the injected delay" "$work/pct"
abrun "$work/short" 0 same
rm -r "$work/short/blocks/03-new"
judged "--judge a missing block fails" 1 "new: 1 blocks" "$work/short"
judged "--judge wants a run directory" 2 "--judge wants a bench-ab run directory" "$work/nowhere"

echo "bench-ab tests: $pass passed, $fail failed"
((fail == 0))
