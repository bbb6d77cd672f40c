#!/bin/bash
# s-fuzz.sh: the ABI fuzzer (abi_fuzz.c) in every mode, from 1 and 2
# threads, while a child loads the disk: no crash, every refused call an
# errno from its list, nothing the ABI forbids allowed; then ubmapd serves
# the device and fio verifies it.  Full: 100 000 calls a run; reduced: 3 000.
set -euo pipefail
# shellcheck source=harness/tests/stress/lib.sh
. "$(dirname "$0")/lib.sh"

calls=100000
reduced && calls=3000
for mode in "${MODES[@]}"; do
	begin_row
	total=0 bad=0 runs=0 errnos=''
	for threads in 1 2; do
		load_module
		set_mode "$mode"
		runs=$((runs + 1))
		# Its own seed per run, from the suite's: replayable one by one.
		run_seed=$((SEED * 100 + runs))
		rc=0
		"$SBIN/stress/abi-fuzz" "$run_seed" "$calls" "$threads" >"$WORK/fuzz.txt" 2>&1 || rc=$?
		sed 's/^/  /' "$WORK/fuzz.txt"
		if [[ $(grep '^calls' "$WORK/fuzz.txt") =~ ^calls\ ([0-9]+)\ refused\ [0-9]+\ violations\ ([0-9]+)$ ]]; then
			total=$((total + BASH_REMATCH[1])) bad=$((bad + BASH_REMATCH[2]))
			errnos=$(grep '^errnos' "$WORK/fuzz.txt")
		fi
		# A crash or a wrong exit with no violation counted is one too.
		((rc == 0 || bad > 0)) || { note "abi-fuzz exited $rc"; bad=$((bad + 1)); total=$((total + 1)); }
		(($(counter inflight) == 0)) || { note "$(counter inflight) requests left in flight"; bad=$((bad + 1)); }
		healthy || bad=$((bad + 1))
	done
	unload_module
	end_row "fuzz $mode" "$total" $((total - bad)) 0 "1 and 2 threads, seeds $((SEED * 100 + 1))-$((SEED * 100 + runs)); ${errnos#errnos: }"
done
