#!/usr/bin/env bash
# Signs spotless.sys, spotless.exe and spotless.dll with SHA-256 Authenticode signatures
# (osslsigncode) and verifies them. Without a certificate of your own, a
# self-signed test code-signing certificate is made once under build/signing
# (never committed); its public part is exported for certutil.
#
#   scripts/sign.sh [OUT_DIR]            default OUT_DIR: build/windows/signed
#   SIGN_CERT=cert.pem SIGN_KEY=key.pem scripts/sign.sh     your own certificate
#   SIGN_PFX=cert.pfx SIGN_PASS=... scripts/sign.sh          or a PKCS#12 file
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT=${1:-build/windows/signed}
KEYS=build/signing
say() { printf '[sign] %s\n' "$*"; }

if [ -n "${SIGN_PFX:-}" ]; then
	cred=(-pkcs12 "$SIGN_PFX" -pass "${SIGN_PASS:-}")
	ca=()
	say "signing with $SIGN_PFX"
elif [ -n "${SIGN_CERT:-}" ] || [ -n "${SIGN_KEY:-}" ]; then
	: "${SIGN_CERT:?SIGN_CERT and SIGN_KEY go together}" "${SIGN_KEY:?SIGN_CERT and SIGN_KEY go together}"
	cred=(-certs "$SIGN_CERT" -key "$SIGN_KEY")
	ca=(-CAfile "$SIGN_CERT")
	say "signing with $SIGN_CERT"
else
	if [ ! -f "$KEYS/spotless-test.key" ] || [ ! -f "$KEYS/spotless-test.pem" ]; then
		mkdir -p "$KEYS"
		chmod 700 "$KEYS"
		say "creating a self-signed test code-signing certificate in $KEYS (once)"
		openssl req -x509 -newkey rsa:3072 -sha256 -days 730 -nodes \
			-keyout "$KEYS/spotless-test.key" -out "$KEYS/spotless-test.pem" \
			-subj "/CN=spotless test signing" \
			-addext "extendedKeyUsage=codeSigning" \
			-addext "keyUsage=critical,digitalSignature" \
			-addext "basicConstraints=critical,CA:FALSE" 2>/dev/null
		chmod 600 "$KEYS/spotless-test.key"
	fi
	# DER form, for certutil -addstore Root / TrustedPublisher on Windows.
	openssl x509 -in "$KEYS/spotless-test.pem" -outform DER -out "$KEYS/spotless-test.cer"
	cred=(-certs "$KEYS/spotless-test.pem" -key "$KEYS/spotless-test.key")
	ca=(-CAfile "$KEYS/spotless-test.pem")
	say "signing with the test certificate $KEYS/spotless-test.pem"
fi

mkdir -p "$OUT"
for image in spotless.sys spotless.exe spotless.dll; do
	rm -f "$OUT/$image"
	osslsigncode sign -h sha256 "${cred[@]}" -n "spotless" \
		-in "build/windows/$image" -out "$OUT/$image" >/dev/null
	if ! result=$(osslsigncode verify -in "$OUT/$image" "${ca[@]}" 2>&1) ||
		! grep -q '^Signature verification: ok' <<<"$result"; then
		printf '%s\n' "$result" >&2
		say "verification of $OUT/$image failed"
		exit 1
	fi
	say "signed and verified $OUT/$image"
done
[ -f "$KEYS/spotless-test.cer" ] && [ -z "${SIGN_CERT:-}${SIGN_PFX:-}" ] &&
	say "certificate to import on the test machine: $KEYS/spotless-test.cer"
exit 0
