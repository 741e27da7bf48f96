#!/bin/sh
# Prints spotless's version (e.g. 0.4.0), read from include/spotless/version.h.
root=$(cd "$(dirname "$0")/.." && pwd)
sed -n 's/^#define SPOTLESS_VERSION_\(MAJOR\|MINOR\|PATCH\)[[:space:]]*\([0-9]*\).*/\2/p' \
	"$root/include/spotless/version.h" | paste -sd.
