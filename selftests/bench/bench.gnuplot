# SPDX-License-Identifier: GPL-2.0
#
# The chart of results/bench.md.  report.sh calls it with
#   gnuplot -e "dir='DIR'; out='FILE'; term='pngcairo|svg'" bench.gnuplot
# DIR holds overhead.dat (configuration, added instructions per event for
# skb:kfree_skb, net:net_dev_queue and tcp:tcp_retransmit_skb) and
# scale-kfree_skb.dat, scale-tcp_retransmit_skb.dat (one block per
# configuration: table rows, added instructions per event).
if (term eq 'svg') {
	set terminal svg size 1200,520 dynamic font 'sans,12' background rgb 'white'
} else {
	set terminal pngcairo size 1200,520 font 'sans,10' background rgb 'white'
}
set output out
set termoption noenhanced
set datafile missing '-'
set multiplot layout 1,2 title 'skbstat: instructions added per event (lab VM, QEMU -icount, median of rounds)'

set title 'per hook, one table row'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set yrange [1:*]
set ylabel 'instructions added per event (log)'
set xtics rotate by -40 left nomirror
set grid ytics
set key top left
plot dir.'/overhead.dat' using 2:xtic(1) title 'skb:kfree_skb', \
     '' using 3 title 'net:net_dev_queue', \
     '' using 4 title 'tcp:tcp_retransmit_skb'

set title 'as the table grows (solid: drops, dashed: flows)'
set style data linespoints
unset style
set logscale x
set xrange [0.7:40000]
set xlabel 'rows in the table (log)'
set xtics norotate 10 nomirror
set key top left
plot for [i=0:*] dir.'/scale-kfree_skb.dat' index i using 1:2 with linespoints lw 2 pt 7 \
	lc i + 1 title columnheader(1), \
     for [i=0:*] dir.'/scale-tcp_retransmit_skb.dat' index i using 1:2 with linespoints \
	lw 2 pt 6 dt 2 lc i + 1 title columnheader(1)
unset multiplot
