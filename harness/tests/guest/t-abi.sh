#!/bin/bash
# t-abi.sh MODE: the char device ABI tests (test_abi.c) in MODE.
set -euo pipefail
# shellcheck source=harness/tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"

set_mode "$1"
"$TOP/harness/build/test-abi"
