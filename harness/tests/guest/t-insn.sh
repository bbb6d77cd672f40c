#!/bin/bash
# t-insn.sh loop | MODE: the instruction profile (harness/profile/ubmap-insn.so) in the guest.
#   loop: a window around a loop of known length counts it within 1 %.
#   MODE: a window around fio 4k direct randread's I/O loop: the map group is > 0 exactly
#         when the module mapped pages (a request's, or for a fallback the bounce slot's:
#         every zero-copy mode), and 0 for copy.
# Skipped (77) unless the guest was booted with the plugin: make test-profile.
set -euo pipefail
# shellcheck source=harness/tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"
MARK=$TOP/harness/build/profile/ubmap-insn-mark
[[ ${UBMAP_INSN_DIR:-} ]] || skip "no instruction profile (boot with vm-run.sh --plugin: make test-profile)"
[[ -x $MARK ]] || fail "no $MARK (make harness)"
what=${1:?usage: t-insn.sh loop | MODE}

# g WINDOW GROUP: a group's count in a window's file.
g() { jq -e ".groups[\"$2\"]" "$UBMAP_INSN_DIR/$1.json" || fail "no group $2 in $1.json"; }
# f WINDOW FUNCTION: a kernel function's count (0 if it never ran).
f() { jq "[.functions[] | select(.function == \"$2\") | .insns] | add // 0" "$UBMAP_INSN_DIR/$1.json"; }

if [[ $what == loop ]]; then
	rounds=50000000 want=100000000 # 2 instructions a round
	"$MARK" loop t-insn-loop "$rounds" || fail "ubmap-insn-mark loop failed"
	user=$(g t-insn-loop user)
	note "loop of $rounds rounds: user $user instructions, want $want"
	# Within 1 %, and never below: everything else in the window only adds.
	((user >= want && user * 100 <= want * 101)) || fail "user count $user not within 1 % of $want"
	total=$(jq -e '.instructions' "$UBMAP_INSN_DIR/t-insn-loop.json")
	vcpus=$(jq -e '.vcpus | add' "$UBMAP_INSN_DIR/t-insn-loop.json")
	((vcpus == total)) || fail "per-vCPU counts add to $vcpus, the total is $total"
	exit 0
fi

mode=$what win=t-insn-$mode
set_mode "$mode"
start_backend ram
reset_stats
# The window is fio's I/O loop: opened after its setup, closed before its exit (whose
# page faults and zaps are no request's), by the job's own pre- and post-run commands.
# fio writes their output to <job>.prerun.txt in its working directory: $WORK.
(cd "$WORK" && fio --name=insn --filename="$DISK" --rw=randread --bs=4k --direct=1 --ioengine=psync \
	--size=16m --io_size=1m --randrepeat=1 --exec_prerun="$MARK start $win" \
	--exec_postrun="$MARK stop" --output="$WORK/fio.txt") ||
	{ cat "$WORK/fio.txt"; fail "fio failed"; }
stop_backend
[[ -f $UBMAP_INSN_DIR/$win.json ]] || { cat "$WORK/fio.txt" "$WORK"/insn.p*run.txt; fail "no window $win.json: a marker failed"; }

map=$(g "$win" map) ubmap=$(g "$win" ubmap) block=$(g "$win" block)
mapped=$(($(counter pages_mapped) + $(counter bounce_pages_mapped))) reads=$(counter reads)
note "$mode: $reads reads, $mapped pages mapped; map $map, ubmap $ubmap, block $block instructions"
((reads >= 256)) || fail "only $reads reads reached the backend"
((ubmap > 0 && block > 0)) || fail "no ubmap or block-layer instructions: attribution is off"
if ((mapped > 0)); then
	((map > 0)) || fail "$mapped pages mapped but no map instructions"
	case $mode in
	remap_pfn_range) (($(f "$win" remap_pfn_range) > 0)) || fail "remap_pfn_range never ran" ;;
	mkspecial) (($(f "$win" apply_to_page_range) + $(f "$win" __apply_to_page_range) > 0)) ||
		fail "apply_to_page_range never ran" ;;
	esac
else
	((map == 0)) || fail "no page mapped, yet $map map instructions"
fi
[[ $mode != copy ]] || ((mapped == 0 && map == 0)) || fail "copy mode: $mapped pages, $map map instructions"
