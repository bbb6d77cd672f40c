#!/bin/bash
# peer-compare.sh [RUNTIME] [REPEATS]: in the guest, ublk (ublk_drv +
# ubmap-ublkd) against ubmap's copy mode (ubmap.ko + ubmapd), both on the
# ram store with 2 queues x 32 tags: 4k randread and 1m sequential read,
# psync, O_DIRECT, QD1, the targets interleaved REPEATS times.  Prints one
# line per run and the median IOPS of each.  A quick look before the bench
# has a ublk target; run as: scripts/vm-run.sh -- harness/ublk/peer-compare.sh
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
runtime=${1:-10} repeats=${2:-3}
out=${UBMAP_SHARE:-/tmp}/peer-compare
mkdir -p "$out"
PROFILE=${PROFILE:-}	# set: perf record -e cpu-clock -a during each ublk run

start() {	# start TARGET: load its driver and server; sets DISK and SRV
	local ready=$out/ready i
	rm -f "$ready"
	case $1 in
	ublk)
		insmod "$TOP/kmods/ublk/ublk_drv.ko"
		"$TOP/harness/build/ubmap-ublkd" --store ram --ready-file "$ready" --quiet &
		SRV=$!
		;;
	copy)
		insmod "$TOP/kmods/ubmap/ubmap.ko" mode=copy
		"$TOP/harness/build/ubmapd" --store ram --ready-file "$ready" --quiet &
		SRV=$!
		;;
	esac
	for ((i = 0; i < 200; i++)); do
		[[ -e $ready ]] && break
		sleep 0.05
	done
	[[ -e $ready ]] || { echo "$1: server not ready" >&2; exit 1; }
	DISK=/dev/ubmap0
	[[ $1 == ublk ]] && DISK=$(cat "$ready")
	return 0
}

stop() {	# stop TARGET
	kill -TERM "$SRV"
	wait "$SRV"
	case $1 in
	ublk) rmmod ublk_drv ;;
	copy) rmmod ubmap ;;
	esac
}

job() {	# job TARGET DISK NAME BS RW: one fio run, prints IOPS
	local f=$out/$1-$3-$run.json perf=()
	[[ $PROFILE && $1 == ublk ]] && perf=(perf record -e cpu-clock -a -g -o "$out/$1-$3-$run.perf" --)
	"${perf[@]}" fio --name="$3" --filename="$2" --bs="$4" --rw="$5" --direct=1 \
		--ioengine=psync --size=64m --time_based --runtime="$runtime" \
		--output-format=json --output="$f" >/dev/null 2>&1
	jq '.jobs[0].read.iops' "$f"
}

declare -A iops
DISK='' SRV=''
for ((run = 1; run <= repeats; run++)); do
	order=(ublk copy)
	((run % 2)) || order=(copy ublk)
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
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for name in 4k-randread 1m-read; do
	u=$(median <<<"${iops[ublk/$name]}") c=$(median <<<"${iops[copy/$name]}")
	echo "median $name: ublk $u IOPS, ubmap copy $c IOPS, ublk/copy $(awk -v u="$u" -v c="$c" 'BEGIN { printf "%.2f", u / c }')"
done
