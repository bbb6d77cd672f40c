#!/bin/bash
# t-unaligned.sh MODE: 512-byte O_DIRECT requests cover part of a page; the
# rest of that page must not be shown, so each goes through the copy.  In
# user_copy nothing is shown: the pread/pwrite copy takes any alignment.
set -euo pipefail
# shellcheck source=harness/tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"
mode=$1

set_mode "$mode"
start_backend ram
reset_stats
fio_verify direct 512 256k
stop_backend
reqs=$(($(counter reads) + $(counter writes)))
note "requests $reqs, fallback_unaligned $(counter fallback_unaligned)"
(($(counter pages_mapped) == 0)) || fail "a partial page was mapped"
if [[ $mode == user_copy ]]; then
	(($(fallbacks) == 0)) || fail "user_copy fell back"
	(($(counter requests_user_copied) == reqs)) || fail "not every request was user-copied"
	exit 0
fi
(($(counter fallback_unaligned) == reqs)) || fail "not every unaligned request fell back"
