#!/bin/bash
# s-lying.sh: a backend that lies (lying_backend.c) in every mode, with 1
# and 2 queues: every lie gets an errno or a SIGBUS and is counted, the
# request lied about and a bystander end as the rules say, the
# commit-versus-close race never crashes; afterwards ubmapd serves the
# device and fio verifies it.  Reduced: 2 queues, 2 rounds of the race.
set -euo pipefail
# shellcheck source=harness/tests/stress/lib.sh
. "$(dirname "$0")/lib.sh"

queues=(1 2) rounds=20
reduced && queues=(2) rounds=2
for mode in "${MODES[@]}"; do
	begin_row
	lies=0 failed=0 healthy=0 runs=0
	for q in "${queues[@]}"; do
		load_module nr_queues="$q"
		set_mode "$mode"
		runs=$((runs + 1))
		"$SBIN/stress/lying-backend" "$rounds" 2>&1 | tee "$WORK/lying.txt" | sed 's/^/  /' || true
		if [[ $(tail -n 1 "$WORK/lying.txt") =~ ^lies\ ([0-9]+)\ failed\ ([0-9]+)$ ]]; then
			lies=$((lies + BASH_REMATCH[1])) failed=$((failed + BASH_REMATCH[2]))
		else
			lies=$((lies + 1)) failed=$((failed + 1))
		fi
		(($(counter inflight) == 0)) || { note "$(counter inflight) requests left in flight"; failed=$((failed + 1)); }
		# The disk still works for an honest backend.
		if healthy; then
			healthy=$((healthy + 1))
		else
			failed=$((failed + 1))
		fi
	done
	unload_module
	end_row "lying $mode" "$lies" $((lies - failed)) 0 "protocol_errors $(grep -o '^protocol_errors [0-9]*' "$WORK/lying.txt" | tail -n 1 | cut -d' ' -f2); fio verify after: $healthy/$runs"
done
