#!/bin/sh
# scripts/module-tree.sh DEST: writes the module's source tree into DEST,
# the tree DKMS builds from (/usr/src/spotless-VERSION once installed):
# Makefile, Kbuild, dkms.conf and the module's files, core/ and
# include/spotless/, and LICENSE. Copies, not links: the tree stands on its own.
# Prints nothing; DEST is emptied first.
set -eu
dest=$1
root=$(cd "$(dirname "$0")/.." && pwd)
version=$("$root/scripts/version.sh")

rm -rf "$dest"
mkdir -p "$dest/core" "$dest/include/spotless"
cp "$root"/linux/module/*.c "$root"/linux/module/*.h \
   "$root/linux/module/Kbuild" "$root/linux/module/Makefile" "$dest/"
sed "s/@VERSION@/$version/" "$root/linux/module/dkms.conf" >"$dest/dkms.conf"
cp "$root"/core/*.c "$root"/core/*.h "$dest/core/"
cp "$root"/include/spotless/*.h "$dest/include/spotless/"
cp "$root/LICENSE" "$dest/"
