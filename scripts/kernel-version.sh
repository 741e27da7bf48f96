#!/bin/sh
# Prints the version of Debian's linux-headers-amd64 (e.g. 6.1.0-56-amd64):
# the kernel the module is built for and the one QEMU boots.
dpkg-query -W -f='${Depends}\n' linux-headers-amd64 2>/dev/null |
	sed -n 's/.*linux-headers-\([0-9][^ ,]*-amd64\).*/\1/p' | head -n 1
