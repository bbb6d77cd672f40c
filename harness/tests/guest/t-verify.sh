#!/bin/bash
# t-verify.sh MODE IO BS: fio writes and reads back with crc32c through the
# ram store, and the module's counters prove MODE carried the data.
set -euo pipefail
# shellcheck source=harness/tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"
mode=$1 io=$2 bs=$3
size=16m
[[ $bs == 512k || $bs == 1m ]] && size=32m

set_mode "$mode"
start_backend ram
reset_stats
fio_verify "$io" "$bs" "$size"
stop_backend

reqs=$(($(counter reads) + $(counter writes)))
fallbacks=$(fallbacks)
note "$(grep -v ' 0$' "$STATS" | tr '\n' ' ')"
((reqs > 0)) || fail "no requests reached the backend"
(($(counter errors) == 0)) || fail "$(counter errors) requests failed"
(($(counter protocol_errors) == 0)) || fail "protocol errors"

case $mode/$io in
copy/*)
	(($(counter copy_bytes) > 0)) || fail "copy mode copied nothing"
	(($(counter requests_copied) == reqs)) || fail "not every request was copied"
	(($(counter pages_mapped) == 0)) || fail "copy mode mapped pages"
	;;
user_copy/*)
	# One copy each way in the backend's own pread/pwrite: nothing mapped, nothing bounced.
	(($(counter requests_user_copied) == reqs)) || fail "not every request was user-copied"
	(($(counter user_copy_calls) >= reqs)) || fail "fewer pread/pwrite calls than requests"
	(($(counter copy_bytes) == $(counter read_bytes) + $(counter write_bytes))) ||
		fail "copy_bytes $(counter copy_bytes) != bytes read + written"
	(($(counter pages_mapped) + $(counter map_calls) + $(counter zap_calls) == 0)) ||
		fail "user_copy mapped pages"
	(($(counter requests_copied) == 0)) || fail "user_copy went through the bounce slot"
	;;
vm_insert_pages/direct)
	# O_DIRECT buffers are anonymous: vm_insert_pages refuses every one.
	(($(counter fallback_anon_page) == reqs)) ||
		fail "fallback_anon_page $(counter fallback_anon_page) != requests $reqs"
	(($(counter pages_mapped) == 0)) || fail "anonymous pages were mapped"
	;;
*)
	(($(counter pages_mapped) > 0)) || fail "$mode mapped no pages"
	(($(counter map_calls) > 0)) || fail "$mode made no map calls"
	((fallbacks == 0)) || fail "$fallbacks fallbacks in $mode/$io"
	(($(counter requests_mapped) == reqs)) || fail "not every request was mapped"
	(($(counter copy_bytes) == 0)) || fail "$mode copied bytes"
	;;
esac
