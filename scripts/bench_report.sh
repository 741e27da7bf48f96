#!/usr/bin/env bash
# Turns the CSVs of scripts/bench.sh into DIR/report.md and four SVG plots:
# latency by case (each platform over its own baseline), throughput by size
# and method, batching speed-up, the queue's speed-up by depth. The
# targets of the benchmark issue are checked against the ratios (pass /
# miss); DIR/notes.md, when present, is appended (what explains a miss).
#
#   scripts/bench_report.sh DIR
set -euo pipefail

DIR=$1
W=$DIR/windows.csv
L=$DIR/linux.csv
H=$DIR/host.csv
R=$DIR/report.md
# Plots need the latency, bulk and batch groups (a full run).
PLOTS=0
grep -q "^latency," "$W" && grep -q "^bulk," "$W" && grep -q "^batch," "$W" && PLOTS=1

# ratio FILE GROUP CASE: the ratio column of one row ("-" when absent).
ratio() {
	awk -F, -v g="$2" -v c="$3" '$1 == g && $2 == c { print $11; found = 1 }
		END { if (!found) print "-" }' "$1" 2>/dev/null || echo -
}

# host_ratio NAME BYTES: the ratio of one row of the host's CRC32C bench.
host_ratio() {
	awk -F, -v n="$1" -v b="$2" '$1 == n && $2 == b { print $7; found = 1 }
		END { if (!found) print "-" }' "$H" 2>/dev/null || echo -
}

# median FILE GROUP CASE: the median column of one row ("-" when absent).
median() {
	awk -F, -v g="$2" -v c="$3" '$1 == g && $2 == c { print $6; found = 1 }
		END { if (!found) print "-" }' "$1" 2>/dev/null || echo -
}

# over A B: A / B to three places ("-" when either is absent).
over() {
	[ "$1" = - ] || [ "$2" = - ] && { echo -; return; }
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", a / b }'
}

# verdict VALUE OP LIMIT: pass or miss ("-" when not measured).
verdict() {
	[ "$1" = - ] && { echo "not measured"; return; }
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
		ok = (op == "<=") ? (v <= l) : (v >= l); print ok ? "pass" : "miss" }'
}

table() {
	printf '| group | case | median | spread | unit | baseline | baseline median | ratio |\n'
	printf '| --- | --- | ---: | ---: | --- | --- | ---: | ---: |\n'
	awk -F, 'NR > 1 { printf "| %s | %s | %.1f | %.1f-%.1f | %s | %s | %.1f | %.3gx |\n",
		$1, $2, $6, $7, $8, $5, $9, $10, $11 }' "$1"
}

{
	printf '# spotless benchmark report\n\n'
	printf 'Made by `make bench` (scripts/bench.sh) on %s.\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
	printf -- '- host: %s, %s CPU(s), %s\n' "$(uname -sr)" "$(nproc)" \
		"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	printf -- '- Windows: %s\n' "$(sed -n 's/^# spotless bench: \([^;]*\);.*/\1/p' "$DIR/windows.txt" | head -n 1)"
	printf -- '- Linux: %s (QEMU, TCG: every guest instruction is emulated)\n' \
		"$(sed -n 's/^# spotless bench: \([^;]*\);.*/\1/p' "$DIR/linux.txt" | head -n 1)"
	printf -- '- method: %s\n\n' "$(sed -n 's/^# spotless bench: [^;]*; //p' "$DIR/linux.txt" | head -n 1)"
	printf 'Every figure sits beside a baseline measured in the same run; the ratio\n'
	printf 'is what carries over between machines, not the absolute numbers.\n\n'

	printf '## The request path and the queue (issue 26), in the guest\n\n'
	printf 'Each request over the null misc-device ioctl of the same boot (the\n'
	printf 'floor of any driver), the queue over single calls of the same run.\n\n'
	printf '| target | figure | verdict |\n| --- | ---: | --- |\n'
	for row in "refused request <= 1.15x the null ioctl|refused_request|1.15" \
		"INFO <= 1.5x the null ioctl|info|1.5" "64-byte ECHO <= 1.5x the null ioctl|echo_64|1.5"; do
		IFS='|' read -r text case limit <<<"$row"
		f=$(ratio "$L" peer "$case")
		printf '| %s | %s | %s |\n' "$text" "$f" "$(verdict "$f" '<=' "$limit")"
	done
	f=$(over "$(median "$L" log message_log_0)" "$(median "$L" peer null_misc_ioctl)")
	printf '| the exchange with log=0 <= 1.5x the null ioctl (its own runs, same boot) | %s | %s |\n' \
		"$f" "$(verdict "$f" '<=' 1.5)"
	f=$(ratio "$L" batch batch_64)
	printf '| BATCH of 64 small records >= 8x the rate of single calls | %s | %s |\n' \
		"$f" "$(verdict "$f" '>=' 8)"
	f=$(ratio "$L" queue queue_echo_64_depth_32)
	printf '| 64-byte ECHO through the queue at depth 32 >= 3x single calls | %s | %s |\n' \
		"$f" "$(verdict "$f" '>=' 3)"
	f=$(ratio "$L" peer queue_echo_64_depth_32)
	printf '| a command of depth 32 costs < the null ioctl (ratio < 1) | %s | %s |\n\n' \
		"$f" "$(verdict "$f" '<=' 0.999)"
	printf 'The queue by depth, over single 64-byte ECHO calls of the same run:\n\n'
	printf '| depth | Windows (Wine) | Linux (QEMU) |\n| ---: | ---: | ---: |\n'
	for d in 1 8 32 128; do
		printf '| %s | %s | %s |\n' "$d" "$(ratio "$W" queue "queue_echo_64_depth_$d")" \
			"$(ratio "$L" queue "queue_echo_64_depth_$d")"
	done
	printf '\n## Targets\n\n'
	printf '| target | figure | verdict |\n| --- | ---: | --- |\n'
	le=$(ratio "$L" bulk buffered_1024K)
	printf '| 1 MiB ECHO in the guest >= 0.8x a userland copy in and out (hardware CRC) | %s | %s |\n' \
		"$le" "$(verdict "$le" '>=' 0.8)"
	for b in 65536 1048576 16777216; do
		hr=$(host_ratio crc32c_instruction "$b")
		printf '| core CRC32C on the host, %s KiB, >= 0.8x memcpy of the same bytes | %s | %s |\n' \
			"$((b / 1024))" "$hr" "$(verdict "$hr" '>=' 0.8)"
	done
	we=$(ratio "$W" events post_to_waiter)
	printf '| event post to waiter under Wine <= 2x the exchange | %s | %s |\n' \
		"$we" "$(verdict "$we" '<=' 2)"
	for os in W L; do
		name=Wine; [ "$os" = L ] && name=QEMU
		f=${!os}
		wi=$(ratio "$f" events post_to_waiter_idle_256)
		printf '| %s: post to waiter with 256 idle subscribers <= 1.25x with none (flat) | %s | %s |\n' \
			"$name" "$wi" "$(verdict "$wi" '<=' 1.25)"
	done
	wp=$(ratio "$W" peer message)
	printf '| exchange <= 1.05x the tutorial'"'"'s driver under Wine | %s | %s |\n' \
		"$wp" "$(verdict "$wp" '<=' 1.05)"
	lp=$(ratio "$L" peer refused_request)
	printf '| refused request <= 1.3x the null misc-device ioctl in the guest | %s | %s |\n\n' \
		"$lp" "$(verdict "$lp" '<=' 1.3)"
	printf 'Beside them, in the same runs:\n\n| measurement | figure |\n| --- | ---: |\n'
	printf '| guest: INFO / the null misc-device ioctl | %s |\n' "$(ratio "$L" peer info)"
	printf '| guest: the exchange / the null misc-device ioctl | %s |\n' "$(ratio "$L" peer message)"
	printf '| guest: 64-byte ECHO / the null misc-device ioctl | %s |\n' "$(ratio "$L" peer echo_64)"
	printf '| guest: the exchange with log=0 / with log=1 (its three log lines) | %s |\n' \
		"$(ratio "$L" log message_log_0)"
	for n in 1 16; do
		printf '| post to waiter with %s idle subscribers / none: Wine, QEMU | %s, %s |\n' "$n" \
			"$(ratio "$W" events "post_to_waiter_idle_$n")" "$(ratio "$L" events "post_to_waiter_idle_$n")"
	done
	for b in 4096 65536 1048576 16777216; do
		printf '| host, %s KiB: CRC32C table / memcpy | %s |\n' "$((b / 1024))" \
			"$(host_ratio crc32c_table "$b")"
	done
	printf '| CRC32C paths in this run | %s; %s |\n\n' \
		"$(sed -n 's/^# crc32c: //p' "$DIR/windows.txt" | head -n 1) (Wine)" \
		"$(sed -n 's/^# crc32c: //p' "$DIR/linux.txt" | head -n 1) (QEMU)"

	printf '## Earlier targets\n\n| target | Windows (Wine) | Linux (QEMU) |\n| --- | --- | --- |\n'
	wm=$(ratio "$W" latency message) lm=$(ratio "$L" latency message)
	printf '| small round trip <= 1.15x the refused request | %s (%s) | %s (%s) |\n' \
		"$wm" "$(verdict "$wm" '<=' 1.15)" "$lm" "$(verdict "$lm" '<=' 1.15)"
	we=$(ratio "$W" bulk buffered_1024K) le=$(ratio "$L" bulk buffered_1024K)
	printf '| 1 MiB echo >= 0.8x the copy floor (Linux) | %s (informative) | %s (%s) |\n' \
		"$we" "$le" "$(verdict "$le" '>=' 0.8)"
	wb=$(ratio "$W" batch batch_64) lb=$(ratio "$L" batch batch_64)
	printf '| batch of 64 >= 20x single calls (Wine), >= 5x (Linux) | %s (%s) | %s (%s) |\n' \
		"$wb" "$(verdict "$wb" '>=' 20)" "$lb" "$(verdict "$lb" '>=' 5)"
	wt=$(ratio "$W" threads message_threads_2) lt=$(ratio "$L" threads message_threads_2)
	printf '| 2 threads >= 1.7x one | %s (%s) | %s (%s) |\n\n' \
		"$wt" "$(verdict "$wt" '>=' 1.7)" "$lt" "$(verdict "$lt" '>=' 1.7)"
	printf 'Beside them, the same runs measured what bounds each figure:\n\n'
	printf '| measurement | Windows (Wine) | Linux (QEMU) |\n| --- | --- | --- |\n'
	printf '| 64-byte ECHO / refused request (a request without log lines) | %s | %s |\n' \
		"$(ratio "$W" latency echo_64)" "$(ratio "$L" latency echo_64)"
	printf '| 1 MiB ECHO / userland copy plus CRC32C (the checksum the protocol asks for) | %s | %s |\n' \
		"$(ratio "$W" bulk_crc buffered_1024K)" "$(ratio "$L" bulk_crc buffered_1024K)"
	printf '| 2 threads / 1, the refused request (the driver does nearly nothing) | %s | %s |\n' \
		"$(ratio "$W" threads refused_request_threads_2)" "$(ratio "$L" threads refused_request_threads_2)"
	printf '| 2 threads / 1, a null system call (the machine, no driver) | - | %s |\n' \
		"$(ratio "$L" threads null_syscall_threads_2)"
	printf '| an event, post to the waiter holding it / the tutorial exchange | %s | %s |\n' \
		"$(ratio "$W" events post_to_waiter)" "$(ratio "$L" events post_to_waiter)"
	printf '| a post nobody watches / the tutorial exchange | %s | %s |\n\n' \
		"$(ratio "$W" events post_unwatched)" "$(ratio "$L" events post_unwatched)"

	printf '## Windows: spotless.sys under Wine\n\n'
	table "$W"
	printf '\n## Linux: spotless.ko in QEMU\n\n'
	table "$L"
	crc_table() {
		printf '| way | bytes | MB/s | memcpy MB/s | ratio |\n| --- | ---: | ---: | ---: | ---: |\n'
		awk -F, 'NR > 1 { printf "| %s | %s | %.0f | %.0f | %.3fx |\n", $1, $2, $4, $6, $7 }' "$1"
	}
	if [ -f "$H" ]; then
		printf '\n## Host: the core'"'"'s CRC32C, natively\n\n'
		printf '%s\n\n' "$(sed -n 's/^# //p' "$DIR/host.txt" | head -n 1)"
		crc_table "$H"
	fi
	if [ -f "$DIR/guest_crc.csv" ]; then
		printf '\n## Guest: the same program in QEMU (TCG, -cpu max)\n\n'
		printf 'TCG emulates the crc32 instruction with a helper call per instruction:\n'
		printf 'these figures are QEMU'"'"'s, not the hardware'"'"'s.\n\n'
		crc_table "$DIR/guest_crc.csv"
	fi
	if [ -f "$DIR/kernel_crc.md" ]; then
		printf '\n'
		cat "$DIR/kernel_crc.md"
	fi
	[ "$PLOTS" -eq 1 ] &&
		printf '\n## Plots\n\n![latency](latency.svg)\n\n![throughput](throughput.svg)\n\n![batching](batching.svg)\n\n![queue](queue.svg)\n'
	if [ -f "$DIR/notes.md" ]; then
		printf '\n'
		cat "$DIR/notes.md"
	fi
} >"$R"

# A run of some groups only (--only) has nothing to plot.
[ "$PLOTS" -eq 1 ] || { printf 'report: %s (no plots: not every group ran)\n' "$R"; exit 0; }

# Plot data: one file per plot, columns per OS; gone when the script ends,
# whatever happens to gnuplot.
trap 'rm -f "$DIR"/.lat_* "$DIR"/.bulk_* "$DIR"/.batch_* "$DIR"/.queue_*' EXIT
# Latency as each platform's ratio to its own baseline in the same run: the
# guest's requests over the null misc ioctl (the peer rows), Wine's over the
# refused request and its exchange over the tutorial's driver. Absolute
# times of the two differ a hundredfold and say nothing side by side.
# Bars are named in words short enough to stand level under them.
short_name() {
	sed -e 's/^refused_request /refused /' -e 's/^message /exchange /' \
		-e 's/^echo_64 /"echo 64 B" /' -e 's/^null_syscall /"null syscall" /' \
		-e 's/^queue_echo_64_depth_32 /"queued, of 32" /'
}
awk -F, 'NR > 1 && $1 == "peer" && $2 != $9 { print $2, $11 }' "$L" | short_name >"$DIR/.lat_l"
{
	awk -F, 'NR > 1 && $1 == "latency" && $2 != $9 { print $2, $11 }' "$W" | short_name
	awk -F, 'NR > 1 && $1 == "peer" { print "\"exchange vs tutorial\"", $11 }' "$W"
} >"$DIR/.lat_w"
for os in windows linux; do
	for m in buffered in_direct out_direct; do
		awk -F, -v m="$m" 'NR > 1 && $1 == "bulk" && index($2, m "_") == 1 { print $3 / 1024, $6 }' \
			"$DIR/$os.csv" >"$DIR/.bulk_${os}_$m"
	done
	awk -F, 'NR > 1 && $1 == "batch" { sub("batch_", "", $2); print $2, $11 }' \
		"$DIR/$os.csv" >"$DIR/.batch_$os"
	awk -F, 'NR > 1 && $1 == "queue" { sub("queue_echo_64_depth_", "", $2); print $2, $11 }' \
		"$DIR/$os.csv" >"$DIR/.queue_$os"
done

gnuplot <<GP
set terminal svg size 900,460 dynamic font "sans,11"
set termoption noenhanced
set grid
set key top left

set output "$DIR/latency.svg"
set multiplot layout 1,2 title "Round trip over the same run's baseline (median; lower is better)"
set style data histograms
set style fill solid 0.8
set boxwidth 0.7
set yrange [0:*]
set xtics norotate font "sans,10"
set title "Linux (QEMU TCG): x the null misc ioctl"
plot "$DIR/.lat_l" using 2:xtic(1) notitle lc rgb "#009e73", 1 notitle dt 2 lc rgb "black"
set title "Windows (Wine): x the refused request"
plot "$DIR/.lat_w" using 2:xtic(1) notitle lc rgb "#9400d3", 1 notitle dt 2 lc rgb "black"
unset multiplot
unset yrange
set xtics font "sans,11"
unset logscale
set style data linespoints
set output "$DIR/throughput.svg"
set title "ECHO throughput, MB/s, by size (KiB) and transfer method"
set logscale x 2
set logscale y
set xtics rotate by 0
plot "$DIR/.bulk_windows_buffered" using 1:2 title "Windows buffered", \
     "$DIR/.bulk_windows_in_direct" using 1:2 title "Windows in_direct", \
     "$DIR/.bulk_windows_out_direct" using 1:2 title "Windows out_direct", \
     "$DIR/.bulk_linux_buffered" using 1:2 title "Linux copy"

set output "$DIR/batching.svg"
set title "Batching: requests/s against single calls (x)"
set logscale x 2
unset logscale y
plot "$DIR/.batch_windows" using 1:2 title "Windows (Wine)", \
     "$DIR/.batch_linux" using 1:2 title "Linux (QEMU TCG)"

set output "$DIR/queue.svg"
set title "The queue: 64-byte ECHOs per second at each depth, x single calls"
set xlabel "commands in flight (depth)"
set ylabel "x single calls (same run)"
set xrange [0.8:170]
set yrange [0:*]
set xtics (1, 8, 32, 128)
plot "$DIR/.queue_windows" using 1:2 with linespoints pt 7 title "Windows (Wine): I/O completion port", \
     "$DIR/.queue_linux" using 1:2 with linespoints pt 7 title "Linux (QEMU TCG): io_uring", \
     1 notitle dt 2 lc rgb "black"
GP
rm -f "$DIR"/.lat_* "$DIR"/.bulk_* "$DIR"/.batch_* "$DIR"/.queue_*
printf 'report: %s\n' "$R"
