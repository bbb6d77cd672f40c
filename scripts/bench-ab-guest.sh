#!/bin/bash
# The guest half of scripts/bench-ab.sh: in this one boot, an unmeasured warm-up block, then
# the A/B blocks (ab_order), each one ubmap-bench run of the matrix at repeat 1 with that
# side's module and ubmapd, into OUT/blocks/NN-SIDE/. The same ubmap-bench (this tree's)
# measures both sides; a repeat's four blocks share one seed, so they run the same cell order.
#   usage: scripts/bench-ab-guest.sh OUT MATRIX REPEATS SEED BASE_KO BASE_UBMAPD NEW_KO NEW_UBMAPD [NEW_KO_PARAMS]
# Exit status: 0, 1 a block failed, 2 bad usage.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/ab-lib.sh
. "$top/scripts/ab-lib.sh"
(($# == 8 || $# == 9)) || { echo "usage: $0 OUT MATRIX REPEATS SEED BASE_KO BASE_UBMAPD NEW_KO NEW_UBMAPD [NEW_KO_PARAMS]" >&2; exit 2; }
out=$1 matrix=$2 repeats=$3 seed=$4
declare -A ko=([base]=$5 [new]=$7) ubmapd=([base]=$6 [new]=$8) params=([base]='' [new]=${9:-})
bench=${AB_BENCH:-$top/harness/build/ubmap-bench} # AB_BENCH: a stand-in, for the host tests

# block NAME SIDE SEED: one ubmap-bench run of SIDE's build.
block() {
	local side=$2 extra=()
	[[ -z ${params[$side]} ]] || extra=(--ko-params "${params[$side]}")
	echo "bench-ab: block $1 ($side)" >&2
	"$bench" run --matrix "$matrix" --repeat 1 --seed "$3" --out "$out/blocks/$1" \
		--ko "${ko[$side]}" --ubmapd "${ubmapd[$side]}" "${extra[@]}" \
		--meta "ab_side=$side" --meta "ab_block=$1" --meta "ab_ko_params=${params[$side]}"
}

mkdir -p "$out/blocks"
# The bench's perf events held open for the whole boot: no block's start or end, and no cell's,
# rewrites kernel text (harness/bench/perf.c, perf_hold: under TCG that stalled the guest).
# It stays until the guest powers off: its close would patch the text once more (that stalled a
# guest at the end of a bench run).
"$bench" perf-hold 2>"$out/perf-hold.log" &
# The first minute after boot runs slow: it belongs to neither side.
block 00-warmup new "$seed"
n=0
while read -r rep side; do
	n=$((n + 1))
	block "$(printf '%02d' "$n")-$side" "$side" $((seed + rep))
done < <(ab_order "$repeats")
