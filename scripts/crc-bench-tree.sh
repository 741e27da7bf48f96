#!/bin/sh
# scripts/crc-bench-tree.sh DEST: writes the kernel CRC32C bench's module
# tree (spotless_crc_bench.ko, bench/kernel/) into DEST: its file and
# Kbuild, the core's CRC32C, the wire headers and the module's Makefile.
# DEST is emptied first.
set -eu
dest=$1
root=$(cd "$(dirname "$0")/.." && pwd)

rm -rf "$dest"
mkdir -p "$dest/core" "$dest/include/spotless"
cp "$root/bench/kernel/crc32c_bench.c" "$root/bench/kernel/Kbuild" \
   "$root/linux/module/Makefile" "$dest/"
cp "$root"/core/spotless_crc32c*.[ch] "$dest/core/"
cp "$root"/include/spotless/*.h "$dest/include/spotless/"
