#!/bin/bash
# make bench-ab BASE=<rev> [NEW=<rev>]: the A/B regression gate. Builds the module and harness
# of BASE_REV (and of NEW_REV; by default NEW is this working tree, built by make) in a git
# worktree under build/ab/<sha>/ (kept: a second run of the same sha builds nothing), runs
# the gate matrix in ONE guest boot with the two builds alternating in balanced blocks
# (scripts/bench-ab-guest.sh), merges each side's blocks into one run directory
# (results/ab-<time>-<base>-<new>/{base,new}) and gates with ubmap-report compare: every exact
# count the same, and no throughput significantly worse (Welch, Holm) by more than THRESHOLD %.
#   usage: scripts/bench-ab.sh BASE_REV [NEW_REV]
#          scripts/bench-ab.sh --judge RUN_DIR   (gate an earlier run's blocks again)
#   env: THRESHOLD (percent, 5), REPEAT (A B B A repeats, 3), MATRIX (gate), SEED (the first
#        repeat's; default from the time), INJECT_PCT or INJECT_NS (test only: ubmap.ko's
#        inject_pct or inject_ns on the NEW side, a simulated regression; 0 = off;
#        INJECT_PCT=11 costs 10 % at QD1, kmods/ubmap/inject.c), AB_DRY=1 (build and print the guest's
#        command, boot nothing), AB_TIMEOUT (the guest's, 600 s; 1800 s profiled), AB_CACHE (the
#        builds, build/ab), PROFILE (insn: the boot under the instruction profile, so compare
#        also holds each side's instructions per request by gated group, harness/profile/)
# BASE_REV=HEAD without INJECT_NS is an A/A run: it should pass.
# Exit status: 0 ok, 1 regression or count change (or the knob did not take), 2 bad input or
# a build failed, 3 inconclusive (counts ok, but some cell's times all flagged as contended),
# else vm-run.sh's.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
# shellcheck source=scripts/ab-lib.sh
. scripts/ab-lib.sh
report=harness/build/ubmap-report
cache=${AB_CACHE:-$top/build/ab}
die() { echo "bench-ab: $*" >&2; exit 2; }

(($# == 1 || $# == 2)) || die "usage: scripts/bench-ab.sh BASE_REV [NEW_REV] (make bench-ab BASE=<rev> [NEW=<rev>]), or --judge RUN_DIR"
threshold=${THRESHOLD:-5} repeats=${REPEAT:-3} matrix=${MATRIX:-gate} inject=${INJECT_NS:-0} pct=${INJECT_PCT:-0}
[[ $threshold =~ ^[0-9]+([.][0-9]+)?$ ]] || die "THRESHOLD=$threshold: want a percentage"
[[ $repeats =~ ^[1-9][0-9]?$ && $repeats -ge 2 ]] ||
	die "REPEAT=$repeats: want 2..99 (compare's test needs 2 blocks a side at least; each repeat gives 2)"
[[ $inject =~ ^[0-9]{1,7}$ && $inject -le 1000000 ]] || die "INJECT_NS=$inject: want 0..1000000 ns (ubmap.ko's inject_ns)"
[[ $pct =~ ^[0-9]{1,3}$ && $pct -le 100 ]] || die "INJECT_PCT=$pct: want 0..100 (ubmap.ko's inject_pct)"
((inject == 0 || pct == 0)) || die "INJECT_NS and INJECT_PCT: set one of them"
timeout=${AB_TIMEOUT:-600}
case ${PROFILE:-} in
'') ;;
insn)
	# TCG's (vm-run boots TCG for a plugin even where KVM works); 1.3-7x slower (README, PROFILE).
	export VM_PLUGIN=$top/harness/build/profile/ubmap-insn.so
	timeout=${AB_TIMEOUT:-1800}
	;;
*) die "PROFILE=$PROFILE: want insn (or none)" ;;
esac
# --judge RUN_DIR: merge and gate the blocks of an earlier run again (another THRESHOLD, or a
# run whose host half was interrupted after the guest had finished).
if [[ $1 == --judge ]]; then
	[[ $# == 2 && -f $2/ab.env && -d $2/blocks ]] || die "--judge wants a bench-ab run directory (with ab.env and blocks/), not '${2:-}'"
	ab_judge "$(realpath "$2")" "$threshold" "$report"
	exit
fi
seed=${SEED:-$(date +%s)}
[[ $seed =~ ^[1-9][0-9]*$ ]] || die "SEED=$seed: want a positive integer"

# rev NAME REV: the full sha of a commit, or a clear error.
rev() {
	git rev-parse --verify --quiet "$2^{commit}" || die "$1 '$2' is not a commit in $top"
}
base=$(rev BASE_REV "$1")
new=${2:+$(rev NEW_REV "$2")}
harness/build/ubmap-bench plan --matrix "$matrix" >/dev/null || die "matrix '$matrix' refused (above)"

# build SHA: module + harness of SHA in build/ab/SHA/src (a detached worktree), once.
build() {
	local dir=$cache/$1
	if [[ -f $dir/built ]]; then
		echo "bench-ab: ${1:0:12}: built already ($dir)" >&2
		return 0
	fi
	echo "bench-ab: building ${1:0:12} in $dir" >&2
	rm -rf "$dir/src"
	git worktree prune
	mkdir -p "$dir"
	if ! { git worktree add --detach --force "$dir/src" "$1" &&
		make -C "$dir/src/kmods/ubmap" W=1 && make -C "$dir/src/harness" -j2; } >"$dir/build.log" 2>&1; then
		die "building ${1:0:12} failed: see $dir/build.log"
	fi
	[[ -f $dir/src/kmods/ubmap/ubmap.ko && -x $dir/src/harness/build/ubmapd ]] ||
		die "building ${1:0:12} made no ubmap.ko or ubmapd: see $dir/build.log"
	touch "$dir/built"
}
build "$base"
bko=$cache/$base/src/kmods/ubmap/ubmap.ko bd=$cache/$base/src/harness/build/ubmapd
if [[ $new ]]; then
	build "$new"
	nko=$cache/$new/src/kmods/ubmap/ubmap.ko nd=$cache/$new/src/harness/build/ubmapd
	nsha=${new:0:12}
else
	nko=$top/kmods/ubmap/ubmap.ko nd=$top/harness/build/ubmapd
	[[ -f $nko && -x $nd ]] || die "the working tree is not built (make all)"
	nsha=$(git rev-parse --short=12 HEAD)
	[[ -z $(git status --porcelain --untracked-files=no) ]] || nsha=$nsha-dirty
fi
params=
((inject == 0)) || params=inject_ns=$inject
((pct == 0)) || params=inject_pct=$pct

dir=$top/results/ab-$(date -u +%Y%m%d-%H%M%S)-${base:0:7}-${nsha:0:7}
cmd=(scripts/bench-ab-guest.sh "$dir" "$matrix" "$repeats" "$seed" "$bko" "$bd" "$nko" "$nd" ${params:+"$params"})
if [[ ${AB_DRY:-0} == 1 ]]; then
	printf '%q ' "${cmd[@]}"; echo
	exit 0
fi
mkdir -p results
mkdir "$dir" || die "$dir exists"
{
	echo "base ${base:0:12} $bko"
	echo "new $nsha $nko${params:+ ($params)}"
	echo "matrix $matrix repeats $repeats seed $seed threshold $threshold profile ${PROFILE:-none}"
} >"$dir/ab.txt"
# What --judge needs to gate this run again.
printf 'ab_repeats=%q ab_inject=%q ab_base=%q ab_new=%q\n' "$repeats" "${params:-0}" "${base:0:12}" \
	"$nsha${params:+ ($params)}" >"$dir/ab.env"
start=$SECONDS
scripts/vm-run.sh --share "$dir" --log "$dir/console.log" --samples "$dir/host-samples.csv" \
	--timeout "$timeout" -- "${cmd[@]}"
echo "bench-ab: vm-run done in $((SECONDS - start)) s (with any wait for the guest lock)" >&2

rc=0
ab_judge "$dir" "$threshold" "$report" || rc=$?
echo "bench-ab: $((SECONDS - start)) s in all" >&2
exit "$rc"
