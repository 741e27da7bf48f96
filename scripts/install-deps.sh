#!/usr/bin/env bash
# Installs, with apt-get, what spotless needs to build and test, when missing.
# One line per step; quiet when everything is there already.
set -euo pipefail

say() { printf '[deps] %s\n' "$*"; }

# command or file that proves it is there -> Debian package(s) that provide it
checks=(
	"cc|gcc"
	"make|make"
	"x86_64-w64-mingw32-gcc|gcc-mingw-w64-x86-64"
	"x86_64-w64-mingw32-g++|g++-mingw-w64-x86-64"
	"/usr/x86_64-w64-mingw32/include/ddk/ntddk.h|mingw-w64-x86-64-dev"
	"clang|clang"
	"cppcheck|cppcheck"
	"clang -fsanitize=fuzzer|libclang-rt-14-dev"
	"gcc -m32|gcc-multilib"
	"/usr/share/doc/linux-headers-amd64|linux-headers-amd64"
	"qemu-system-x86_64|qemu-system-x86"
	"/bin/busybox|busybox-static"
	"cpio|cpio"
	"sparse|sparse"
	"openssl|openssl"
	"osslsigncode|osslsigncode"
	"gnuplot|gnuplot-nox"
	# instructions per request of the core (make bench, make test's check of it)
	"valgrind|valgrind"
	# the library's queue on Linux (io_uring), for 64- and 32-bit programs
	"/usr/include/liburing.h|liburing-dev"
	"/usr/lib/i386-linux-gnu/liburing.a|liburing-dev:i386"
	"wine|wine"
	"/usr/lib/wine/wine64|wine64"
	"wineserver|wine"
	# 32-bit Windows callers: their compiler, and Wine's 32-bit half
	# (WoW64; it needs the i386 architecture, added below when missing)
	"i686-w64-mingw32-gcc|gcc-mingw-w64-i686"
	"/usr/lib/wine/wine|wine32:i386"
	# building the debug kernel (make verify-linux KERNEL=debug, make test)
	"flex|flex"
	"bison|bison"
	"bc|bc"
	"/usr/include/libelf.h|libelf-dev"
	"/usr/include/openssl/ssl.h|libssl-dev"
	# Debian's 6.12 headers build BTF for every module (Makefile.modfinal runs
	# pahole); unpacked, not installed, they never pull it in themselves
	"pahole|dwarves"
	"xz|xz-utils"
	# packages: make install's checks, the .debs, the Debian guest (make package-test)
	"pkg-config|pkg-config"
	"dpkg-buildpackage|dpkg-dev"
	"dh|debhelper"
	"dh_dkms|dh-dkms"
	"dkms|dkms"
	"lintian|lintian"
	"debootstrap|debootstrap"
	"mkfs.ext4|e2fsprogs"
	"fakeroot|fakeroot"
	# the Windows zip (make dist)
	"zip|zip"
	"unzip|unzip"
	# the man pages' checks (tests/docs/check_docs.sh)
	"mandoc|mandoc"
	"man|man-db"
)

missing=()
for entry in "${checks[@]}"; do
	what=${entry%%|*}
	pkgs=${entry#*|}
	if [[ $what == /* ]]; then
		[ -e "$what" ] && continue
	elif [[ $what == "clang -fsanitize=fuzzer" ]]; then
		# libFuzzer's runtime comes in a package of its own
		echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n){(void)d;(void)n;return 0;}' |
			clang -fsanitize=fuzzer -x c -o /dev/null - >/dev/null 2>&1 && continue
	elif [[ $what == "gcc -m32" ]]; then
		# a 32-bit static program links only with the multilib libc
		echo 'int main(void){return 0;}' | gcc -m32 -static -x c -o /dev/null - \
			>/dev/null 2>&1 && continue
	else
		command -v "$what" >/dev/null 2>&1 && continue
	fi
	say "missing $what (package $pkgs)"
	missing+=("$pkgs")
done

[ ${#missing[@]} -eq 0 ] && exit 0

# Unique package names, in order.
mapfile -t packages < <(printf '%s\n' "${missing[@]}" | tr ' ' '\n' | awk '!seen[$0]++')

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		say "not root and no sudo: install these packages by hand: ${packages[*]}"
		exit 1
	fi
fi

if printf '%s\n' "${packages[@]}" | grep -q ':i386$' &&
	! dpkg --print-foreign-architectures | grep -qx i386; then
	say "dpkg --add-architecture i386 (for wine32, Wine's 32-bit half)"
	$SUDO dpkg --add-architecture i386
fi
say "apt-get update"
$SUDO apt-get update -qq
say "apt-get install ${packages[*]} (a few minutes the first time)"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${packages[@]}" >/dev/null
say "installed ${packages[*]}"
