#!/bin/bash
# t-targets.sh: every target of the bench's target axis, set up by the
# bench's own code (ubmap-bench serve), serves fio verify=crc32c on the ram
# store, direct and buffered, at 4k and 1m.  A target this guest cannot
# have is reported with the reason the bench gives; that is a failure for
# those the guest image always has (ubmap, null_blk, brd), and for ublk
# once its driver and server are built.
set -euo pipefail
# shellcheck source=harness/tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"
BENCH=$TOP/harness/build/ubmap-bench

# Run by `ubmap-bench serve` with UBMAP_DEV set: the four verifies.
if [[ ${1:-} == --verify ]]; then
	DISK=$UBMAP_DEV
	for io in direct buffered; do
		fio_verify "$io" 4k 8m
		fio_verify "$io" 1m 32m
	done
	exit 0
fi

# The runner loaded ubmap; the bench loads its own for target=ubmap.
rmmod ubmap
served=0 unavailable=0
mapfile -t targets < <("$BENCH" targets)
((${#targets[@]} >= 4)) || fail "ubmap-bench targets: ${targets[*]}"
for t in "${targets[@]}"; do
	args=(--target "$t" --store ram --ko "$KO" --ublk-ko "$UBLK_KO")
	[[ $t == ubmap ]] && args+=(--mode copy)
	rc=0
	WORK=$WORK "$BENCH" serve "${args[@]}" -- bash "$0" --verify \
		>"$WORK/$t.log" 2>&1 || rc=$?
	case $rc in
	0)
		note "$t: verified ($(grep -o 'serves [^ ]*' "$WORK/$t.log"))"
		served=$((served + 1))
		;;
	77)
		why=$(grep -o 'unavailable: .*' "$WORK/$t.log") ||
			{ cat "$WORK/$t.log"; fail "$t: skipped without a reason"; }
		note "$t: $why"
		case $t in
		ublk)
			[[ -e $UBLK_KO && -x $TOP/harness/build/ubmap-ublkd ]] &&
				fail "ublk is built but unavailable: $why"
			;;
		*) fail "$t must be available in this guest: $why" ;;
		esac
		unavailable=$((unavailable + 1))
		;;
	*)
		cat "$WORK/$t.log"
		fail "$t: exit $rc"
		;;
	esac
done
note "$served served and verified, $unavailable unavailable (reason above)"
