#!/bin/bash
# t-mode-busy.sh: the mode and strict switch are locked while a backend is
# attached (EBUSY); unknown modes are refused (EINVAL) either way.
set -euo pipefail
# shellcheck source=harness/tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"

# write_err FILE VALUE: the error text a write gets, empty on success.
write_err() { { echo "$2" > "$1"; } 2>&1 | sed 's/.*: //'; }

[[ $(write_err "$SYSFS/mode" bogus) == "Invalid argument" ]] || fail "unknown mode accepted"
set_mode mkspecial
start_backend null
[[ $(write_err "$SYSFS/mode" copy) == "Device or resource busy" ]] ||
	fail "mode switch while attached was not EBUSY"
[[ $(write_err "$SYSFS/strict" 1) == "Device or resource busy" ]] ||
	fail "strict switch while attached was not EBUSY"
[[ $(cat "$SYSFS/mode") == mkspecial ]] || fail "mode changed under the backend"
[[ $(write_err "$SYSFS/mode" bogus) == "Invalid argument" ]] || fail "unknown mode accepted while attached"
stop_backend
[[ -z $(write_err "$SYSFS/mode" copy) ]] || fail "mode switch after detach failed"
[[ $(cat "$SYSFS/mode") == copy ]] || fail "mode did not change"
