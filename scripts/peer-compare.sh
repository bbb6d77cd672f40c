#!/bin/bash
# peer-compare.sh TARGET [RUNTIME] [REPEATS]: in the guest, the peer TARGET
# against ubmap's copy mode (ubmap.ko + ubmapd), both on the ram store:
# 4k randread and 1m sequential read, psync, O_DIRECT, QD1, the targets
# interleaved REPEATS times.  Prints one line per run, the median IOPS of
# each and their ratio.  TARGET is one of
#   ublk  ublk_drv + ubmap-ublkd, 2 queues x 32 tags (RUNTIME 10 s);
#         prints ublk/copy
#   tcmu  target_core_user via tcm_loop + ubmap-tcmud (RUNTIME 5 s);
#         prints copy/tcmu (issue 12's goal: >= 2 at 4k)
# A quick look beside the bench's peer targets; run as:
#   scripts/vm-run.sh --timeout 600 -- scripts/peer-compare.sh tcmu
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
peer=${1:-}
case $peer in
ublk) runtime=${2:-10} dir=peer-compare tries=200 ;;
tcmu) runtime=${2:-5} dir=tcmu-peer-compare tries=600 ;;
*)
	echo "usage: $0 ublk|tcmu [RUNTIME] [REPEATS]" >&2
	exit 2
	;;
esac
repeats=${3:-3}
out=${UBMAP_SHARE:-/tmp}/$dir
mkdir -p "$out"
PROFILE=${PROFILE:-}	# set: perf record -e cpu-clock -a during each peer run

start() {	# start TARGET: its driver and server; sets DISK and SRV
	local ready=$out/ready i
	rm -f "$ready"
	case $1 in
	ublk)
		insmod "$TOP/kmods/ublk/ublk_drv.ko"
		"$TOP/harness/build/ubmap-ublkd" --store ram --ready-file "$ready" --quiet &
		SRV=$!
		;;
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
	for ((i = 0; i < tries; i++)); do
		[[ -e $ready ]] && break
		sleep 0.05
		kill -0 "$SRV" 2>/dev/null || break
	done
	if [[ ! -e $ready ]]; then
		echo "$1: server not ready" >&2
		[[ $1 != tcmu ]] || cat "$out/tcmud.log" >&2 || true
		exit 1
	fi
	DISK=/dev/ubmap0
	[[ $1 == copy ]] || DISK=$(cat "$ready")
	return 0
}

stop() {	# stop TARGET (tcmud removes its configfs objects itself)
	kill -TERM "$SRV"
	wait "$SRV"
	case $1 in
	ublk) rmmod ublk_drv ;;
	copy) rmmod ubmap ;;
	esac
}

job() {	# job TARGET DISK NAME BS RW: one fio run, prints IOPS
	local f=$out/$1-$3-$run.json perf=()
	[[ $PROFILE && $1 == "$peer" ]] && perf=(perf record -e cpu-clock -a -g -o "$out/$1-$3-$run.perf" --)
	"${perf[@]}" fio --name="$3" --filename="$2" --bs="$4" --rw="$5" --direct=1 \
		--ioengine=psync --size=64m --time_based --runtime="$runtime" \
		--output-format=json --output="$f" >/dev/null 2>&1
	jq '.jobs[0].read.iops' "$f"
}

declare -A iops
DISK='' SRV=''
for ((run = 1; run <= repeats; run++)); do
	order=("$peer" copy)
	((run % 2)) || order=(copy "$peer")
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
[[ $peer != tcmu ]] || modprobe -r tcm_loop target_core_user || true
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
for name in 4k-randread 1m-read; do
	u=$(median <<<"${iops[$peer/$name]}") c=$(median <<<"${iops[copy/$name]}")
	if [[ $peer == ublk ]]; then
		r="ublk/copy $(ratio "$u" "$c")"
	else
		r="copy/tcmu $(ratio "$c" "$u")"
	fi
	echo "median $name: $peer $u IOPS, ubmap copy $c IOPS, $r"
done
