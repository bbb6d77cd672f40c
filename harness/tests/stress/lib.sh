#!/bin/bash
# Helpers shared by the stress cases (s-*.sh), on top of the guest suite's
# lib.sh.  Sourced, never run.  A case writes one row per line it measured
# (end_row) into $STRESS_ROWS; run.sh prints them as the summary table.
# shellcheck disable=SC2034  # variables are for the cases
# shellcheck source=harness/tests/guest/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../guest/lib.sh"

SBIN=$TOP/harness/build
STRESS=${STRESS:-full}
SEED=${SEED:-1}
STRESS_ROWS=${STRESS_ROWS:-$WORK/rows.tsv}
# The goal for a dead backend's I/O to end, as ublk's generic_06 requires.
DEATH_BOUND=${DEATH_BOUND:-5}
# bash's RANDOM replays the same sequence for the same seed.
RANDOM=$SEED

reduced() { [[ $STRESS == reduced ]]; }

# The module's modes (UBMAP_MODES), never a list of our own.
mapfile -t MODES < <("$SBIN/ubmap-bench" modes)
((${#MODES[@]})) || fail "no modes from ubmap-bench"

# load_module [PARAM=VALUE...]: a fresh module with these parameters.
# shellcheck disable=SC2120  # the parameters are optional
load_module() {
	unload_module
	insmod "$KO" "$@" || fail "insmod $*"
	[[ -e $DISK ]] || udevadm settle 2>/dev/null || sleep 0.2
}

unload_module() {
	local i
	lsmod | grep -q '^ubmap ' || return 0
	for ((i = 0; i < 20; i++)); do
		rmmod ubmap 2>/dev/null && return 0
		sleep 0.25
	done
	fail "ubmap does not unload (refcnt $(cat /sys/module/ubmap/refcnt))"
}

# pick VAR WORD...: VAR is one of the words, by the seeded RANDOM.  Not
# $(pick): a subshell reseeds RANDOM, and the choice would not replay.
pick() { local -n var_=$1; local a=("${@:2}"); var_=${a[RANDOM % ${#a[@]}]}; }

# ms_now: milliseconds since boot (uptime's resolution is 10 ms).
ms_now() { local t; read -r t _ </proc/uptime; echo $((${t/./} * 10)); }

# Waits up to SECS for every pid to exit; returns 1 if one is left.
wait_gone() {
	local secs=$1 end p
	shift
	end=$(($(ms_now) + secs * 1000))
	for p in "$@"; do
		while kill -0 "$p" 2>/dev/null; do
			(($(ms_now) < end)) || return 1
			sleep 0.05
		done
	done
}

begin_row() { ROW_START=$SECONDS; }
# end_row LABEL ITERATIONS SURVIVED LOST [NOTE]: one row of the summary.
end_row() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$((SECONDS - ROW_START))" "${5:-}" \
		>>"$STRESS_ROWS"
}

# healthy: an honest ubmapd serves the disk and fio verifies it (after a
# case that failed I/O on purpose).  Returns 1 instead of failing the case;
# never leaves its backend running.
healthy() {
	(
		trap '[[ -z $BACKEND_PID ]] || kill -KILL "$BACKEND_PID" 2>/dev/null' EXIT
		start_backend ram
		# Write-back errors of the case's own failed buffered writes are
		# reported to the next fsync of the disk, even from a new open.
		# An fsync of a new open sees it once and marks it seen.
		dd if=/dev/zero of="$DISK" bs=4k count=0 conv=fsync,notrunc 2>/dev/null || true
		fio_verify direct 64k 2m
		stop_backend
	)
}
