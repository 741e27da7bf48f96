#!/bin/sh
# scripts/update-docs.sh: writes the CLI's usage (scripts/cli-usage.sh, from
# build/linux/spotless: 'make build/linux/spotless' first) into docs/cli.md,
# between its BEGIN and END usage markers. Run it after changing a command's
# words; tests/docs/check_docs.sh fails until the two agree.
set -eu
cd "$(dirname "$0")/.."
doc=docs/cli.md
usage=$(mktemp)
scripts/cli-usage.sh >"$usage"
awk -v usage="$usage" '
	/^<!-- BEGIN usage/ { print; while ((getline line < usage) > 0) print line; skip = 1; next }
	/^<!-- END usage/ { skip = 0 }
	!skip' "$doc" >"$doc.new"
mv "$doc.new" "$doc"
rm -f "$usage"
echo "docs/cli.md: usage written from build/linux/spotless"
