# shellcheck shell=bash
# Wine harness: a private prefix under build/, one wineserver for the run,
# spotless.sys installed and started through our own spotless.exe, and the
# driver's DbgPrint lines collected into a log file. Sourced by scripts/demo.sh
# and tests/run.sh; wine_down runs from their EXIT trap, on failure too.

SPOTLESS_ROOT=${SPOTLESS_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export WINEPREFIX="$SPOTLESS_ROOT/build/wineprefix"
export WINEARCH=win64
export WINEDEBUG=-all
# No window, no Mono or Gecko installer prompts in a fresh prefix.
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
export DISPLAY=

WIN_BUILD="$SPOTLESS_ROOT/build/windows"
WINE_LOG_DIR="$SPOTLESS_ROOT/build/logs"
WINE_RAW_LOG="$WINE_LOG_DIR/wine-services.log"
# The driver's own lines, "spotless: ..." with Wine's prefix removed.
DRIVER_LOG="$WINE_LOG_DIR/driver.log"

wine_say() { printf '[wine] %s\n' "$*"; }

# Wine's own programs (sc, rundll32, reg, cmd) run as 64-bit processes:
# where wine32 is installed too, a plain "wine sc" runs the 32-bit sc.exe,
# whose system32 is syswow64, and a 64-bit kernel driver it installs or
# starts does not start.
WINE64=/usr/lib/wine/wine64
[ -x "$WINE64" ] || WINE64=wine

# Windows path of a file on the host, through Wine's Z: drive.
wine_path() {
	local p
	p=$(realpath "$1")
	printf 'Z:%s' "${p//\//\\}"
}

# Run a Windows program; carriage returns from its text-mode stdout removed.
wine_run() {
	local out rc=0
	out=$(wine "$@" 2>&1) || rc=$?
	printf '%s' "$out" | tr -d '\r'
	[ -n "$out" ] && printf '\n'
	return "$rc"
}

wine_prefix_ready() {
	# A prefix made before wine32 was installed has an empty syswow64 (no
	# 32-bit kernel32.dll): 32-bit programs do not start in it, nor, once
	# wine32 is there, 64-bit ones (kernel32.dll not loaded, c0000135), so
	# it is made again.
	if [ -f "$WINEPREFIX/system.reg" ] && [ -f "$WINEPREFIX/.spotless-ready" ] &&
		{ [ ! -x /usr/lib/wine/wine ] ||
		  [ -f "$WINEPREFIX/drive_c/windows/syswow64/kernel32.dll" ]; }; then
		return 0
	fi
	wine_say "creating the Wine prefix $WINEPREFIX (once, about 20 s)"
	rm -rf "$WINEPREFIX"
	mkdir -p "$WINEPREFIX"
	wineboot -i >/dev/null 2>&1
	# A service started before the prefix settles times out (error 1053).
	wineserver -w
	touch "$WINEPREFIX/.spotless-ready"
}

# Start one wineserver for the run. The first Wine process starts services.exe,
# which starts winedevice.exe for drivers: both inherit its stderr and its
# WINEDEBUG, so that first process carries the debugstr channel into the log.
wine_up() {
	mkdir -p "$WINE_LOG_DIR"
	wine_prefix_ready
	wineserver -k 2>/dev/null || true
	wineserver -w 2>/dev/null || true
	: >"$WINE_RAW_LOG"
	wineserver -p
	WINEDEBUG=-all,warn+debugstr "$WINE64" cmd /c exit >/dev/null 2>>"$WINE_RAW_LOG" </dev/null
	wine_say "wineserver up, services started, driver log: ${DRIVER_LOG#"$SPOTLESS_ROOT"/}"
}

# Extract the driver's lines from Wine's debug output.
wine_driver_log() {
	sed -n 's/^.*vDbgPrintExWithPrefix [0-9a-f]*:[0-9a-f]*: \(spotless: .*\)$/\1/p' \
		"$WINE_RAW_LOG" | tr -d '\r' >"$DRIVER_LOG"
}

spotless_exe() { wine_run "$WIN_BUILD/spotless.exe" "$@"; }

# Install and start spotless.sys (DRIVER_IMAGE, the build's by default);
# leftovers of an earlier run are removed first.
driver_load() {
	local image=${DRIVER_IMAGE:-$WIN_BUILD/spotless.sys}
	spotless_exe stop >/dev/null 2>&1 || true
	spotless_exe remove >/dev/null 2>&1 || true
	spotless_exe install "$(wine_path "$image")" >/dev/null
	spotless_exe start >/dev/null
	wine_say "${image#"$SPOTLESS_ROOT"/} installed and started"
}

driver_unload() {
	spotless_exe stop >/dev/null 2>&1 || true
	spotless_exe remove >/dev/null 2>&1 || true
	wine_say "spotless.sys stopped and removed"
}

wine_down() {
	if [ -n "${WINEPREFIX:-}" ] && pgrep -f wineserver >/dev/null 2>&1; then
		driver_unload >/dev/null 2>&1 || true
		wine_driver_log 2>/dev/null || true
		wineserver -k 2>/dev/null || true
	fi
}
