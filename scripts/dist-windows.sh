#!/usr/bin/env bash
# scripts/dist-windows.sh (make dist): the Windows package, a versioned zip
# in build/dist/ (DIST_DIR to move it):
#
#   spotless-VERSION-windows-x64/
#     driver/   spotless.sys (signed), spotless.inf, spotless.pdb, and the
#               test certificate (spotless-test.cer) when it signed them
#     bin/      spotless.exe, spotless.dll (signed)
#     lib/      libspotless.dll.a (import library), libspotless.a, spotless.def
#     include/  spotless.h, spotless/*.h
#     doc/      README.md, windows.md, protocol.md, cli.md, architecture.md
#     test/     validate.cmd (a run under Driver Verifier on a test machine,
#               doc/windows.md section 6), test_driver.exe,
#               spotless_storm.exe, tutorial_client.exe
#     LICENSE
#
# Signing is scripts/sign.sh's: SIGN_CERT/SIGN_KEY or SIGN_PFX for your own
# certificate. Prints the zip's path.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
VERSION=$(scripts/version.sh)
NAME=spotless-$VERSION-windows-x64
OUT=${DIST_DIR:-$ROOT/build/dist}
STAGE=$OUT/$NAME
WIN=build/windows
say() { printf '[dist] %s\n' "$*" >&2; }

SIGNED=$ROOT/build/windows/signed
scripts/sign.sh "$SIGNED" >&2

rm -rf "$STAGE" "$OUT/$NAME.zip"
mkdir -p "$STAGE"/{driver,bin,lib,include/spotless,doc,test}
cp "$SIGNED/spotless.sys" "$WIN/spotless.inf" "$WIN/spotless.pdb" "$STAGE/driver/"
if [ -z "${SIGN_CERT:-}${SIGN_PFX:-}" ]; then
	cp build/signing/spotless-test.cer "$STAGE/driver/"
fi
cp "$SIGNED/spotless.exe" "$SIGNED/spotless.dll" "$STAGE/bin/"
cp "$WIN/lib/libspotless.dll.a" "$WIN/lib/libspotless.a" "$WIN/lib/spotless.def" "$STAGE/lib/"
cp lib/spotless.h "$STAGE/include/"
cp include/spotless/*.h "$STAGE/include/spotless/"
cp "$WIN/test_driver.exe" "$WIN/spotless_storm.exe" "$WIN/tutorial_client.exe" "$STAGE/test/"
# cmd.exe reads CRLF lines.
sed 's/$/\r/' windows/tools/validate.cmd.in >"$STAGE/test/validate.cmd"
cp LICENSE "$STAGE/"
cp README.md docs/windows.md docs/protocol.md docs/cli.md docs/architecture.md "$STAGE/doc/"
# The same bytes from the same inputs: fixed times, sorted names.
find "$STAGE" -exec touch -d "@$(git log -1 --format=%ct 2>/dev/null || echo 0)" {} +
(cd "$OUT" && find "$NAME" -type f | LC_ALL=C sort | zip -q -X -@ "$NAME.zip")
rm -rf "$STAGE"
say "$(basename "$OUT")/$NAME.zip: $(stat -c %s "$OUT/$NAME.zip") bytes"
printf '%s\n' "$OUT/$NAME.zip"
