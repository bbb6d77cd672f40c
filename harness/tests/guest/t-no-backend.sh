#!/bin/bash
# t-no-backend.sh: without a backend, I/O fails at once instead of hanging.
set -euo pipefail
# shellcheck source=harness/tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"

if timeout 20 dd if="$DISK" of=/dev/null bs=4k count=1 iflag=direct 2>"$WORK/dd.txt"; then
	fail "read without a backend succeeded"
fi
grep -q "Input/output error" "$WORK/dd.txt" || fail "expected EIO, got: $(cat "$WORK/dd.txt")"
