#!/bin/bash
# insn-cells.sh OUTDIR [MODE...]: instructions per direct read request, per mode and block
# size, by group (harness/lib/insn_groups.c), in a guest booted with the instruction profile
# (vm-run.sh --plugin harness/build/profile/ubmap-insn.so).  Each cell runs fio randread twice,
# N and 2N requests, each window around fio's I/O loop only (exec_prerun/exec_postrun); the
# difference divided by the difference in device requests is the cost of one request, with
# every fixed cost (the markers' own processes, first faults) cancelled.
# Writes OUTDIR/<mode>-<bs>-<n>.json (the windows), OUTDIR/cells.jsonl, OUTDIR/table.txt.
#   env: BS (4k 1m), STORE (ram)
set -euo pipefail
# shellcheck source=harness/tests/guest/lib.sh
. "$(dirname "$0")/../tests/guest/lib.sh"
MARK=$TOP/harness/build/profile/ubmap-insn-mark
out=${1:?usage: insn-cells.sh OUTDIR [MODE...]}
shift
[[ ${UBMAP_INSN_DIR:-} ]] || fail "no instruction profile: boot with vm-run.sh --plugin"
(($#)) || mapfile -t argv < <("$TOP/harness/build/ubmap-bench" modes)
(($#)) && argv=("$@")
read -ra sizes <<<"${BS:-4k 1m}"
mkdir -p "$out"
: >"$out/cells.jsonl"
lsmod | grep -q '^ubmap ' || insmod "$KO"

# window NAME BS IOS: one fio run inside a window; prints the device requests it made.
window() {
	local name=$1 bs=$2 ios=$3 mult=1
	[[ $bs == *m ]] && mult=1024
	reset_stats
	(cd "$WORK" && fio --name=insn --filename="$DISK" --rw=randread --bs="$bs" --direct=1 --ioengine=psync \
		--size=64m --io_size="$((ios * ${bs%[km]} * mult))k" --randrepeat=1 --exec_prerun="$MARK start $name" \
		--exec_postrun="$MARK stop" --output="$WORK/fio.txt") >&2 ||
		{ cat "$WORK/fio.txt" >&2; fail "fio failed"; }
	[[ -f $UBMAP_INSN_DIR/$name.json ]] || { cat "$WORK/fio.txt" "$WORK"/insn.p*run.txt >&2; fail "no window $name"; }
	cp "$UBMAP_INSN_DIR/$name.json" "$out/$name.json"
	echo $(($(counter reads) + $(counter writes)))
}

for mode in "${argv[@]}"; do
	set_mode "$mode"
	start_backend "${STORE:-ram}"
	for bs in "${sizes[@]}"; do
		n=512
		[[ $bs == 1m ]] && n=32
		r1=$(window "$mode-$bs-$n" "$bs" "$n")
		r2=$(window "$mode-$bs-$((2 * n))" "$bs" $((2 * n)))
		fb=$(fallbacks)
		# Per request: the difference of the two windows over the difference of requests.
		jq -c -n --arg mode "$mode" --arg bs "$bs" --argjson r1 "$r1" --argjson r2 "$r2" \
			--argjson fb "$fb" --slurpfile a "$out/$mode-$bs-$n.json" \
			--slurpfile b "$out/$mode-$bs-$((2 * n)).json" '
			def per(x; y): ((y - x) / ($r2 - $r1) * 10 | round) / 10;
			def fn(w): [w.functions[] | {key: ((.module // "") + ":" + .function), value: .insns}]
				| from_entries;
			($a[0]) as $A | ($b[0]) as $B | (fn($A)) as $fa | (fn($B)) as $fb2 |
			{mode: $mode, bs: $bs, requests: [$r1, $r2], fallbacks_2n: $fb,
			 per_request: (per($A.instructions; $B.instructions)),
			 groups: ($B.groups | with_entries(.value = per($A.groups[.key]; .value))),
			 map_functions: ([$B.functions[] | select(.group == "map")
				| {key: .function, value: per($fa[(.module // "") + ":" + .function] // 0; .insns)}]
				| from_entries)}' >>"$out/cells.jsonl"
	done
	stop_backend
done
rmmod ubmap 2>/dev/null || true

# The table: one row per cell, one column per group (idle is counted, never in the total).
jq -r -s '(.[0].groups | keys_unsorted) as $g |
	(["mode", "bs", "total"] + $g | @tsv),
	(.[] | [.mode, .bs, .per_request] + [.groups[$g[]]] | @tsv)' "$out/cells.jsonl" |
	column -t >"$out/table.txt"
cat "$out/table.txt"
