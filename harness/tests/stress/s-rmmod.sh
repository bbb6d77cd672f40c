#!/bin/bash
# s-rmmod.sh: rmmod attempts at random moments while fio runs, in every
# mode: refused (the module is in use) while a backend or an opener holds
# it, mode switches refused too; with the backend stopped under load and
# fio still holding the disk, still refused; once fio ends, the unload
# works.  The writes acknowledged before (ackwrite, file store) read back
# through a new module and a new backend.  Full: 20 attempts a mode under
# load; reduced: 2.
set -euo pipefail
# shellcheck source=harness/tests/stress/lib.sh
. "$(dirname "$0")/lib.sh"

attempts=20
reduced && attempts=2
ACK_BLOCKS=256

# refused: one rmmod attempt, which must fail because ubmap is in use.
refused() {
	if rmmod ubmap 2>"$WORK/rmmod.txt"; then
		note "rmmod succeeded under load"
		return 1
	fi
	grep -q 'in use' "$WORK/rmmod.txt" || { note "rmmod: $(cat "$WORK/rmmod.txt")"; return 1; }
}

for mode in "${MODES[@]}"; do
	begin_row
	tries=0 ok=0
	load_module
	set_mode "$mode"
	rm -f "$WORK/backing"
	start_backend file --file "$WORK/backing"
	"$SBIN/stress/ackwrite" write "$DISK" "$WORK/ack" 0 "$ACK_BLOCKS" "$SEED" direct 300 >/dev/null ||
		fail "ackwrite failed"
	fio --filename="$DISK" --output="$WORK/fio.txt" --rw=randrw --size=64m --offset=16m \
		--time_based --runtime=600 \
		--name=direct --direct=1 --ioengine=libaio --iodepth=8 --bsrange=4k-256k \
		--name=buffered --direct=0 --ioengine=psync --bs=16k --fdatasync=8 &
	fiopid=$!
	for ((i = 0; i < attempts; i++)); do
		sleep 0.$((1 + RANDOM % 6))
		tries=$((tries + 1))
		refused && ok=$((ok + 1))
		if [[ $mode == "${MODES[0]}" ]]; then other=${MODES[1]}; else other=${MODES[0]}; fi
		if echo "$other" >"$SYSFS/mode" 2>/dev/null; then note "mode switched under load"; ok=$((ok - 1)); fi
	done
	# The backend goes under load while an opener holds the disk (fio may
	# end at once on its errors): still in use.
	exec {holder}<"$DISK"
	stop_backend
	tries=$((tries + 1))
	refused && ok=$((ok + 1))
	wait_gone 20 "$fiopid" || fail "fio did not end without its backend"
	wait "$fiopid" || true
	tries=$((tries + 1))
	refused && ok=$((ok + 1))
	exec {holder}<&-
	tries=$((tries + 1))
	if rmmod ubmap; then ok=$((ok + 1)); else note "rmmod refused with nothing left using ubmap"; fi
	# A new module, a new backend, the same store.
	load_module
	set_mode "$mode"
	start_backend file --file "$WORK/backing"
	out=$("$SBIN/stress/ackwrite" verify "$DISK" "$WORK/ack" 0 "$ACK_BLOCKS" "$SEED" 2>&1) || true
	stop_backend
	unload_module
	note "$mode: $ok of $tries removals refused or handled; $out"
	[[ $out =~ lost\ ([0-9]+)$ ]] || fail "ackwrite verify: $out"
	end_row "rmmod $mode" "$tries" "$ok" "${BASH_REMATCH[1]}" "$out"
done
