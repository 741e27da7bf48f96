#!/usr/bin/env bash
# The tutorial's demo under Wine: load spotless.sys, send the tutorial's
# message with the spotless CLI, unload, and show the driver's log lines.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/lib/wine.sh
source scripts/lib/wine.sh

MESSAGE="spotless saying ola from userland"

trap wine_down EXIT
wine_up
driver_load

printf '\n$ spotless send "%s"\n' "$MESSAGE"
spotless_exe send "$MESSAGE"

printf '\n'
driver_unload
wine_driver_log
printf '\nThe driver'"'"'s log (DbgPrintEx, collected from Wine'"'"'s debugstr channel):\n'
sed 's/^/  /' "$DRIVER_LOG"
