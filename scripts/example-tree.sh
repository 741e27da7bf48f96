#!/bin/sh
# scripts/example-tree.sh DEST: writes the hello example's module tree into
# DEST: spotless's module tree (scripts/module-tree.sh), with the example's
# own Kbuild, configuration header and command in place of spotless's
# recipe. What a driver author's tree holds, file for file.
set -eu
dest=$1
root=$(cd "$(dirname "$0")/.." && pwd)

"$root/scripts/module-tree.sh" "$dest"
rm -f "$dest/dkms.conf"
cp "$root/examples/hello/Kbuild" "$root/examples/hello/hello_config.h" \
   "$root/examples/hello/hello_greet.c" "$dest/"
