#!/bin/sh
# scripts/cli-usage.sh [SPOTLESS]: the CLI's usage as docs/cli.md holds it,
# from the program itself (default build/linux/spotless): 'spotless --help',
# then each command's '--help'. scripts/update-docs.sh writes it into
# docs/cli.md; tests/docs/check_docs.sh compares the two.
set -eu
cli=${1:-build/linux/spotless}
fence='```'
printf '%s\n$ spotless --help\n' "$fence"
"$cli" --help
printf '%s\n' "$fence"
for cmd in $("$cli" --help | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p'); do
	printf '\n### spotless %s\n\n%s\n$ spotless %s --help\n' "$cmd" "$fence" "$cmd"
	"$cli" "$cmd" --help
	printf '%s\n' "$fence"
done
