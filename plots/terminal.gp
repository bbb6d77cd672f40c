# Sets the terminal and output file for one format; loaded by every plot
# script inside its loop over formats.  Needs: fmt (png|svg|txt), out
# (the output path without extension).  noenhanced: mode names such as
# vm_insert_pages must not turn into subscripts.
if (fmt eq "png") {
	set terminal pngcairo size 960,600 noenhanced font "sans,10"
} else {
	if (fmt eq "svg") {
		set terminal svg size 960,600 dynamic noenhanced font "sans,10"
	} else {
		# Plain text for mail: 79 columns like the reports.
		set terminal dumb size 79,30 noenhanced
	}
}
set output out.".".fmt
