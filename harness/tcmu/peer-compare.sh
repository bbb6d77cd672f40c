#!/bin/bash
# peer-compare.sh [RUNTIME] [REPEATS]: in the guest, tcmu (target_core_user
# via tcm_loop + ubmap-tcmud) against ubmap's copy mode (ubmap.ko + ubmapd),
# both on the ram store: 4k randread and 1m sequential read, psync,
# O_DIRECT, QD1, the targets interleaved REPEATS times.  Prints one line
# per run and the median IOPS of each, and the copy/tcmu ratio (issue 12's
# goal: >= 2 at 4k).  A quick look beside the bench's tcmu target; run as:
#   scripts/vm-run.sh --timeout 600 -- harness/tcmu/peer-compare.sh
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
runtime=${1:-5} repeats=${2:-3}
out=${UBMAP_SHARE:-/tmp}/tcmu-peer-compare
mkdir -p "$out"

start() {	# start TARGET: its driver and server; sets DISK and SRV
	local ready=$out/ready i
	rm -f "$ready"
	case $1 in
	tcmu)
		"$TOP/harness/build/ubmap-tcmud" --store ram --size 256m --ready-file "$ready" \
			--quiet 2>"$out/tcmud.log" &
		SRV=$!
		;;
	copy)
		insmod "$TOP/kmods/ubmap/ubmap.ko" mode=copy
		"$TOP/harness/build/ubmapd" --store ram --ready-file "$ready" --quiet &
		SRV=$!
		;;
	esac
	for ((i = 0; i < 600; i++)); do
		[[ -e $ready ]] && break
		kill -0 "$SRV" 2>/dev/null || break
		sleep 0.05
	done
	[[ -e $ready ]] || { echo "$1: server not ready" >&2; cat "$out/tcmud.log" >&2 || true; exit 1; }
	DISK=/dev/ubmap0
	[[ $1 == tcmu ]] && DISK=$(cat "$ready")
	return 0
}

stop() {	# stop TARGET
	kill -TERM "$SRV"
	wait "$SRV"
	[[ $1 == copy ]] && rmmod ubmap
	return 0
}

job() {	# job TARGET DISK NAME BS RW: one fio run, prints IOPS
	local f=$out/$1-$3-$run.json
	fio --name="$3" --filename="$2" --bs="$4" --rw="$5" --direct=1 \
		--ioengine=psync --size=64m --time_based --runtime="$runtime" \
		--output-format=json --output="$f" >/dev/null 2>&1
	jq '.jobs[0].read.iops' "$f"
}

declare -A iops
DISK='' SRV=''
for ((run = 1; run <= repeats; run++)); do
	order=(tcmu copy)
	((run % 2)) || order=(copy tcmu)
	for t in "${order[@]}"; do
		start "$t"
		disk=$DISK
		# Real store pages to read, the same for both.
		dd if=/dev/urandom of="$disk" bs=1M count=64 oflag=direct status=none
		for j in "4k-randread 4k randread" "1m-read 1m read"; do
			read -r name bs rw <<<"$j"
			v=$(job "$t" "$disk" "$name" "$bs" "$rw")
			iops[$t/$name]+="$v "
			echo "run $run $t $name: $v IOPS"
		done
		stop "$t"
	done
done
modprobe -r tcm_loop target_core_user || true
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for name in 4k-randread 1m-read; do
	u=$(median <<<"${iops[tcmu/$name]}") c=$(median <<<"${iops[copy/$name]}")
	echo "median $name: tcmu $u IOPS, ubmap copy $c IOPS, copy/tcmu $(awk -v u="$u" -v c="$c" 'BEGIN { printf "%.2f", c / u }')"
done
