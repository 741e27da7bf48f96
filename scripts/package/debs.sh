#!/usr/bin/env bash
# scripts/package/debs.sh: builds the Debian packages (spotless-dkms,
# libspotless0, libspotless-dev, spotless) with dpkg-buildpackage from a
# copy of the sources in build/package/, runs lintian over them, and lists
# them with their sizes. The .debs and lintian's report stay in
# build/package/. Exits non-zero when the build fails or lintian reports
# an error.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
VERSION=$(scripts/version.sh)
OUT=$ROOT/build/package
SRC=$OUT/spotless-$VERSION
say() { printf '[debs] %s\n' "$*"; }

changelog_version=$(dpkg-parsechangelog -l debian/changelog -S Version)
if [ "$changelog_version" != "$VERSION" ]; then
	say "debian/changelog says $changelog_version, include/spotless/version.h $VERSION"
	exit 1
fi

# The sources as a fresh clone has them (plus uncommitted changes), never build/.
rm -rf "$OUT"
mkdir -p "$SRC"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -co --exclude-standard -z | grep -zv '^build/' |
		xargs -0 cp --parents -t "$SRC"
else
	tar -C "$ROOT" --exclude=./build -cf - . | tar -C "$SRC" -xf -
fi

say "dpkg-buildpackage -b -us -uc (log: build/package/build.log)"
if ! (cd "$SRC" && dpkg-buildpackage -b -us -uc) >"$OUT/build.log" 2>&1; then
	tail -n 30 "$OUT/build.log"
	exit 1
fi
changes=$OUT/spotless_${VERSION}_amd64.changes
say "lintian (report: build/package/lintian.txt)"
lintian --info --display-info --pedantic "$changes" >"$OUT/lintian.txt" 2>&1 || true
sed 's/^/  /' "$OUT/lintian.txt"
say "packages:"
for deb in "$OUT"/*.deb; do
	printf '  %-40s %8s bytes, installed %s KiB\n' "$(basename "$deb")" \
		"$(stat -c %s "$deb")" "$(dpkg-deb -f "$deb" Installed-Size)"
done
! grep -q '^E: ' "$OUT/lintian.txt"
