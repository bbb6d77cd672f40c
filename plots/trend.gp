# IOPS of every CI cell across runs: is anything drifting?
# ubmap-report (harness/report/history.c) writes the data file and runs
#   gnuplot VARS trend.gp
# where VARS sets:
#   data      a block per cell (gnuplot "index"): run number, run id, IOPS, sd
#   out       output path without extension; formats: "png svg txt"
#   title, subtitle, ylabel
#   series    cell labels, in block order
#   nruns     how many runs the x axis spans
#   plotsdir  this directory (for terminal.gp)
do for [fmt in formats] {
	load plotsdir."/terminal.gp"
	set title title."\n".subtitle
	set xlabel "CI run (oldest first)"
	set ylabel ylabel
	# Cells from 4k to 1m differ by orders of magnitude.
	set logscale y 10
	set xrange [0.5:nruns + 0.5]
	set grid
	if (fmt ne "txt") {
		set key outside right
		set xtics rotate by -30
		plot for [i=1:words(series)] data index (i-1) \
			using 1:3:4:xtic(2) with yerrorlines lw 2 title word(series, i)
	} else {
		set key outside below
		set xtics 1
		plot for [i=1:words(series)] data index (i-1) \
			using 1:3 with linespoints title word(series, i)
	}
	set output
}
