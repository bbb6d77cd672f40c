#!/bin/bash
# t-kill-backend.sh MODE: SIGKILL the backend under load.  fio must get I/O
# errors and end, nothing may stay in flight, and a new backend must work.
set -euo pipefail
# shellcheck source=harness/tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"
mode=$1

set_mode "$mode"
start_backend ram
fio_load 60 backend
kill -KILL "$BACKEND_PID"
wait "$BACKEND_PID" 2>/dev/null || true
BACKEND_PID=
start=$SECONDS
if wait "$FIO_PID"; then
	fail "fio saw no error when its backend died"
fi
note "fio ended $((SECONDS - start)) s after the kill: $(fio_err)"
(($(cat "$SYSFS/attached") == 0)) || fail "device still reports a backend"
(($(counter inflight) == 0)) || fail "$(counter inflight) requests still in flight"
(($(counter errors) > 0)) || fail "no request was failed"

# The device serves again with the next backend.
start_backend ram
fio_verify direct 64k 4m
stop_backend
