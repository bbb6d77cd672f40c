# One metric of one section against block size, a line per mode.
# ubmap-report (harness/report/plots.c) writes the data file and runs
#   gnuplot VARS bs_plot.gp
# where VARS sets:
#   data      the data file: a block per mode (gnuplot "index"), rows by size
#   out       output path without extension; formats: "png svg txt"
#   title, subtitle, ylabel
#   modes     mode names, in block order
#   col, ecol the column of the mean and of its sd (ecol 0: one repeat)
#   logy      1 for a log y axis
#   xmin, xmax the x range in bytes; ref: y of a dashed reference line, or 0
#   plotsdir  this directory (for terminal.gp)
#   xlabel    optional: the x axis's label (default: block size)
do for [fmt in formats] {
	load plotsdir."/terminal.gp"
	set title title."\n".subtitle
	if (exists("xlabel")) { set xlabel xlabel } else { set xlabel "block size (bytes, log2 scale)" }
	set ylabel ylabel
	set logscale x 2
	if (logy) { set logscale y 10 } else { unset logscale y }
	set xrange [xmin:xmax]
	# Below the plot: no curve hides under it, whichever way they run.
	set key below horizontal
	set grid
	unset arrow
	if (ref > 0) {
		set arrow from graph 0, first ref to graph 1, first ref nohead dashtype 2
	}
	if (fmt ne "txt" && ecol > 0) {
		plot for [i=1:words(modes)] data index (i-1) \
			using 1:col:ecol:xtic(2) with yerrorlines lw 2 title word(modes, i)
	} else {
		plot for [i=1:words(modes)] data index (i-1) \
			using 1:col:xtic(2) with linespoints lw 2 title word(modes, i)
	}
	set output
}
