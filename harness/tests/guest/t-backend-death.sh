#!/bin/bash
# t-backend-death.sh MODE: a backend that forked and died (test_backend_death.c).
set -euo pipefail
# shellcheck source=harness/tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"

set_mode "$1"
"$TOP/harness/build/test-backend-death"
