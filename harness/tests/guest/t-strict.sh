#!/bin/bash
# t-strict.sh: with strict=1, vm_insert_pages fails O_DIRECT requests (their
# anonymous pages cannot be inserted) instead of copying them.
set -euo pipefail
# shellcheck source=harness/tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"

set_mode vm_insert_pages
echo 1 > "$SYSFS/strict"
start_backend ram
reset_stats
if dd if="$DISK" of=/dev/null bs=64k count=4 iflag=direct 2>"$WORK/dd.txt"; then
	fail "a strict refusal did not fail the read"
fi
grep -q "Input/output error" "$WORK/dd.txt" || fail "expected EIO, got: $(cat "$WORK/dd.txt")"
stop_backend
echo 0 > "$SYSFS/strict"
(($(counter fallback_anon_page) > 0)) || fail "refusal not counted"
(($(counter errors) == $(counter fallback_anon_page))) || fail "errors != refusals"
(($(counter requests_copied) == 0)) || fail "strict mode copied anyway"
