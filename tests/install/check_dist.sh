#!/usr/bin/env bash
# What 'make dist' puts in the Windows zip, checked from the zip itself:
# the layout, signatures that verify against the test certificate, the
# VERSIONINFO of each image naming this version, the INF's DriverVer and
# service, the PDB belonging to the .sys, the DLL's exports (the same list
# as the .so's), headers identical to the tree's. "ok - / not ok -" lines.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
VERSION=$(scripts/version.sh)
NAME=spotless-$VERSION-windows-x64
WORK=$ROOT/build/dist-test

check() {
	local name=$1
	shift
	if "$@"; then echo "ok - $name"; else echo "not ok - $name"; return 1; fi
}

zip=$(DIST_DIR="$WORK" scripts/dist-windows.sh 2>"$WORK.log")
check "dist_makes_the_versioned_zip" [ "$zip" = "$WORK/$NAME.zip" ] || cat "$WORK.log"
rm -rf "$WORK/unpacked"
mkdir -p "$WORK/unpacked"
unzip -q "$zip" -d "$WORK/unpacked"
top=$WORK/unpacked/$NAME

{
	printf '%s\n' LICENSE bin/spotless.dll bin/spotless.exe doc/README.md doc/architecture.md \
		doc/cli.md doc/protocol.md doc/windows.md driver/spotless-test.cer driver/spotless.inf driver/spotless.pdb \
		driver/spotless.sys include/spotless.h lib/libspotless.a lib/libspotless.dll.a \
		lib/spotless.def test/spotless_storm.exe test/test_driver.exe test/tutorial_client.exe \
		test/validate.cmd
	for h in include/spotless/*.h; do echo "$h"; done
} | LC_ALL=C sort >"$WORK/expected.txt"
(cd "$top" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) >"$WORK/got.txt"
check "dist_layout" diff -u "$WORK/expected.txt" "$WORK/got.txt"

openssl x509 -inform DER -in "$top/driver/spotless-test.cer" -out "$WORK/cert.pem" 2>/dev/null
check "dist_certificate_is_the_test_signer" eval \
	"openssl x509 -in '$WORK/cert.pem' -noout -subject | grep 'spotless test signing' >/dev/null"
for image in driver/spotless.sys bin/spotless.exe bin/spotless.dll; do
	name=$(basename "$image" | tr . _)
	check "dist_${name}_signature_verifies" eval \
		"osslsigncode verify -in '$top/$image' -CAfile '$WORK/cert.pem' 2>&1 |
		 grep '^Signature verification: ok' >/dev/null"
	# VERSIONINFO strings are UTF-16: FileVersion then its value.
	check "dist_${name}_versioninfo_names_$VERSION" eval \
		"strings -el '$top/$image' | grep -A1 -x FileVersion | tail -n 1 | grep -x '$VERSION' >/dev/null &&
		 strings -el '$top/$image' | grep -A1 -x OriginalFilename | tail -n 1 |
		 grep -x '$(basename "$image")' >/dev/null"
done

inf=$top/driver/spotless.inf
check "dist_inf_driverver_is_$VERSION" eval "grep -E '^DriverVer += [0-9/]+,$VERSION\\.0'$'\\r''\$' '$inf' >/dev/null"
# Primitive driver: decorated DefaultInstall, no Manufacturer, no DefaultUninstall.
check "dist_inf_is_a_primitive_driver" eval \
	"grep -x '\\[DefaultInstall.NTamd64\\]'$'\\r' '$inf' >/dev/null &&
	 ! grep -iE '^\\[(Manufacturer|DefaultInstall|DefaultUninstall)\\]' '$inf' >/dev/null &&
	 grep -E '^ServiceBinary += %13%\\\\spotless.sys' '$inf' >/dev/null"

pdb_guid=$(llvm-pdbutil dump -summary "$top/driver/spotless.pdb" 2>/dev/null |
	sed -n 's/^ *GUID: {\(.*\)}$/\1/p' | tr -d '-' | tr 'A-F' 'a-f')
sys_guid=$(x86_64-w64-mingw32-objdump -p "$top/driver/spotless.sys" |
	sed -n 's/^(format RSDS signature \([0-9a-f]*\) age.*pdb spotless.pdb)$/\1/p')
check "dist_pdb_belongs_to_the_sys" eval '[ -n "$pdb_guid" ] && [ "$pdb_guid" = "$sys_guid" ]'
check "dist_pdb_has_the_drivers_functions" eval \
	"llvm-pdbutil dump -publics '$top/driver/spotless.pdb' | grep '\`DriverEntry\`' >/dev/null"

x86_64-w64-mingw32-objdump -p "$top/bin/spotless.dll" |
	sed -n 's/^\t\[ *[0-9]*\] \(spotless_[a-z0-9_]*\)$/\1/p' | sort >"$WORK/dll-exports.txt"
grep -o 'spotless_[a-z0-9_]*;' lib/libspotless.map | tr -d ';' | sort >"$WORK/map.txt"
check "dist_dll_exports_the_api_only" diff -u "$WORK/map.txt" "$WORK/dll-exports.txt"
check "dist_import_library_names_spotless_dll" eval \
	"x86_64-w64-mingw32-nm '$top/lib/libspotless.dll.a' | grep ' I __imp_spotless_open$' >/dev/null"
check "dist_headers_are_the_trees" eval \
	"cmp -s lib/spotless.h '$top/include/spotless.h' && for h in include/spotless/*.h; do
		cmp -s \"\$h\" '$top/'\"\$h\" || exit 1; done"
