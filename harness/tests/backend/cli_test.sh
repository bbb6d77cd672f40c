#!/usr/bin/env bash
# End-to-end checks of the ubmapd binary: options, error messages, exit
# status, ready file, signals.  The module is replaced by an LD_PRELOAD fake
# (shim/fake_ubmap_preload.c), so this runs on any host.
# usage: cli_test.sh UBMAPD FAKE_SO     exit: 0 pass, 1 fail
set -u

ubmapd=$1
shim=$(realpath "$2")
work=$(mktemp -d "${TMPDIR:-/tmp}/ubmapd-cli.XXXXXX")
trap 'rm -rf "$work"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "[       OK ] $1"; }
bad() { fail=$((fail + 1)); echo "[  FAILED  ] $1: $2"; }

# expect NAME RC TEXT -- ARGS...: run to completion, check the status and
# that TEXT (if not empty) was printed.
expect() {
	local name=$1 want_rc=$2 want_text=$3 rc
	shift 4
	timeout 10 "$@" >"$work/out" 2>"$work/err"
	rc=$?
	if [ "$rc" -ne "$want_rc" ]; then
		bad "$name" "exit $rc, wanted $want_rc; stderr: $(cat "$work/err")"
	elif [ -n "$want_text" ] &&
		! grep -qF -- "$want_text" "$work/out" "$work/err"; then
		bad "$name" "no '$want_text' in: $(cat "$work/out" "$work/err")"
	else
		ok "$name"
	fi
}

# wait_for FILE: up to 5 s.
wait_for() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ -e "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

# serve NAME SIGNAL ARGS...: start on the fake device, wait for the ready
# file, send SIGNAL, expect exit 0 and the ready file gone.
serve() {
	local name=$1 sig=$2 pid rc ready=$work/ready
	shift 2
	rm -f "$ready"
	LD_PRELOAD=$shim "$ubmapd" --dev /fake/ubmapc0 --ready-file "$ready" \
		"$@" >"$work/out" 2>"$work/err" &
	pid=$!
	if ! wait_for "$ready"; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		bad "$name" "no ready file; stderr: $(cat "$work/err")"
		return
	fi
	if ! grep -qx "pid $pid" "$ready" || ! grep -qx "nr_queues 2" "$ready"; then
		bad "$name" "ready file content: $(cat "$ready")"
		kill -KILL "$pid"
		wait "$pid" 2>/dev/null
		return
	fi
	kill "-$sig" "$pid"
	wait "$pid"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		bad "$name" "exit $rc after SIG$sig; stderr: $(cat "$work/err")"
	elif [ -e "$ready" ]; then
		bad "$name" "ready file left behind"
	else
		ok "$name"
	fi
}

echo "[==========] ubmapd command line"
expect help 0 "usage: ubmapd" -- "$ubmapd" --help
expect bad-store 2 "unknown store 'disk' (valid: null, ram, file)" -- \
	"$ubmapd" --store disk
expect bad-batch 2 "--batch wants a positive integer" -- \
	"$ubmapd" --batch x
expect bad-option 2 "unknown option '--nope'" -- "$ubmapd" --nope
expect file-needs-path 2 "--store file needs --file PATH" -- \
	"$ubmapd" --store file
expect no-module 1 "No such file or directory — is the ubmap module loaded?" -- \
	"$ubmapd" --dev "$work/ubmapc0"
expect not-ubmap 1 "not a ubmap device" -- "$ubmapd" --dev /dev/null
expect busy 1 "another backend is attached" -- \
	env LD_PRELOAD="$shim" FAKE_UBMAP_BUSY=1 "$ubmapd" --dev /fake/ubmapc0
# The version ubmapd was built for is the header's.
abi=$(awk '$2 == "UBMAP_ABI_VERSION" { print $3 }' \
	"$(dirname "$0")/../../../kmods/ubmap/include/uapi/linux/ubmap.h")
expect abi-version 1 "module speaks version 7, ubmapd was built for version $abi" -- \
	env LD_PRELOAD="$shim" FAKE_UBMAP_VERSION=7 "$ubmapd" --dev /fake/ubmapc0
expect abi-magic 1 "not a ubmap device (magic 0x00000001" -- \
	env LD_PRELOAD="$shim" FAKE_UBMAP_MAGIC=1 "$ubmapd" --dev /fake/ubmapc0
expect device-gone 0 "serving /fake/ubmapc0" -- \
	env LD_PRELOAD="$shim" FAKE_UBMAP_SHUTDOWN_MS=300 "$ubmapd" \
	--dev /fake/ubmapc0 --store ram
expect batch-clamped 0 "--batch 100 is above the queue depth; using 4" -- \
	env LD_PRELOAD="$shim" FAKE_UBMAP_SHUTDOWN_MS=100 "$ubmapd" \
	--dev /fake/ubmapc0 --batch 100
expect quiet 0 "" -- env LD_PRELOAD="$shim" FAKE_UBMAP_SHUTDOWN_MS=100 \
	"$ubmapd" --dev /fake/ubmapc0 --quiet
if [ -s "$work/err" ]; then
	bad quiet-is-quiet "stderr: $(cat "$work/err")"
else
	ok quiet-is-quiet
fi
expect ready-dir-missing 1 "cannot create ready file" -- \
	env LD_PRELOAD="$shim" "$ubmapd" --dev /fake/ubmapc0 \
	--ready-file "$work/no/such/dir/ready"

serve sigterm-null TERM --store null
serve sigint-ram INT --store ram
serve sigterm-file TERM --store file --file "$work/img"
if [ "$(stat -c %s "$work/img" 2>/dev/null)" = 67108864 ]; then
	ok file-sized-to-capacity
else
	bad file-sized-to-capacity "size $(stat -c %s "$work/img" 2>&1)"
fi

echo "[==========] $((pass + fail)) test(s) run."
echo "[  PASSED  ] $pass test(s)."
if [ "$fail" -ne 0 ]; then
	echo "[  FAILED  ] $fail test(s)."
	exit 1
fi
