#!/usr/bin/env bash
# The docs against what they describe; "ok - " / "not ok - " lines:
#   - docs/cli.md's usage block is the program's own help (scripts/cli-usage.sh);
#   - spotless(1) names every command and option the program has;
#   - libspotless(3) documents every function the library exports;
#   - both man pages render without a warning (mandoc -T lint, man --warnings)
#     and hold no "..." placeholder;
#   - every relative link of README.md and docs/*.md reaches a file;
#   - README.md stays a page a newcomer reads (at most about 250 lines);
#   - no file in the repository is empty (leftovers of a script);
#   - LICENSE and debian/copyright name every GPL-2.0 file (SPDX lines).
# Needs build/linux/spotless. tests/docs/check_demo.sh compares the README's
# demo output with a real run.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
CLI=${CLI:-build/linux/spotless}
failed=0
ok() { echo "ok - $1"; }
not_ok() {
	echo "not ok - $1"
	shift
	[ $# -gt 0 ] && printf '#   %s\n' "$@"
	failed=1
}
check() { local name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; return 1; fi; }

# -- docs/cli.md: the usage between the markers, as the program prints it
usage_in_doc() { sed -n '/^<!-- BEGIN usage/,/^<!-- END usage/p' docs/cli.md | sed '1d;$d'; }
if diff=$(diff -u <(usage_in_doc) <(scripts/cli-usage.sh "$CLI") 2>&1); then
	ok "docs_cli_usage_is_the_programs_help"
else
	not_ok "docs_cli_usage_is_the_programs_help" "docs/cli.md differs from the program's help" \
		"(scripts/update-docs.sh writes it):" "${diff//$'\n'/$'\n#   '}"
fi

# -- spotless(1): every command, and every --option of each command's help
commands=$("$CLI" --help | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p')
man1=docs/man/spotless.1
# The words of the page's tagged paragraphs (.TP's next line), roff removed.
tags=$(awk 'tp { print; tp = 0 } /^\.TP/ { tp = 1 }' "$man1" |
	sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/^\.[A-Z]* //' -e 's/"//g')
missing=
for c in $commands; do
	grep -qw -- "$c" <<<"$tags" || missing="$missing $c"
done
check "man_spotless_1_has_every_command" [ -z "$missing" ] || printf '#   not in spotless.1:%s\n' "$missing"
missing=
page=$(sed 's/\\-/-/g' "$man1")
for c in $commands; do
	for opt in $("$CLI" "$c" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -q -- "$opt" <<<"$page" || missing="$missing $c:$opt"
	done
done
check "man_spotless_1_has_every_option" [ -z "$missing" ] || printf '#   not in spotless.1:%s\n' "$missing"

# -- libspotless(3): every exported function in a heading of its own
man3=docs/man/libspotless.3
missing=
for fn in $(sed -n 's/^\t\t\(spotless_[a-z0-9_]*\);$/\1/p' lib/libspotless.map); do
	awk -v fn="$fn" 'tp || /^\.SS/ { if (index($0, fn)) found = 1; tp = 0 }
		/^\.TP/ { tp = 1 } END { exit !found }' "$man3" || missing="$missing $fn"
done
check "man_libspotless_3_documents_every_export" [ -z "$missing" ] ||
	printf '#   no heading in libspotless.3:%s\n' "$missing"

# -- both pages: clean renders, no placeholders, this version
for page in "$man1" "$man3"; do
	name=$(basename "$page" | tr . _)
	out=$(mandoc -T lint -W warning "$page" 2>&1)
	check "man_${name}_mandoc_lint_clean" [ -z "$out" ] || printf '#   %s\n' "$out"
	out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null)
	check "man_${name}_renders_without_warnings" [ -z "$out" ] || printf '#   %s\n' "$out"
	check "man_${name}_has_no_ellipsis" eval "! grep -n '\.\.\.' '$page'"
	check "man_${name}_names_this_version" grep -q "\"spotless $(scripts/version.sh)\"" "$page"
done

# -- links: every relative link of the Markdown docs reaches a file
broken=
for md in README.md docs/*.md examples/hello/README.md; do
	dir=$(dirname "$md")
	for target in $(grep -o '](\([^)#:]*\)[)#]' "$md" | sed 's/^](//; s/[)#]$//'); do
		[ -n "$target" ] && [ ! -e "$dir/$target" ] && broken="$broken $md:$target"
	done
done
check "docs_relative_links_resolve" [ -z "$broken" ] || printf '#   broken:%s\n' "$broken"

empty=$(git ls-files -z 2>/dev/null | xargs -0 -r sh -c 'for f; do [ -s "$f" ] || echo "$f"; done' sh)
check "no_empty_file_in_the_repository" [ -z "$empty" ] || printf '#   empty: %s\n' $empty

lines=$(wc -l <README.md)
check "readme_at_most_about_250_lines" [ "$lines" -le 260 ] || echo "#   README.md has $lines lines"

# -- licences: the SPDX lines against LICENSE and debian/copyright (the
# patterns are globs to match, not to expand)
set -f
gpl_patterns=$(sed -n 's/^Files: //p' debian/copyright | sed -n '2,$p')
missing=
for f in $(git ls-files 2>/dev/null |
	xargs grep -lE '^(//|#|/[*]) SPDX-License-Identifier: GPL-2[.]0' 2>/dev/null); do
	matched=0
	for p in $gpl_patterns; do
		# shellcheck disable=SC2053
		[[ $f == $p ]] && matched=1
	done
	[ "$matched" -eq 1 ] || missing="$missing $f"
done
check "debian_copyright_names_every_gpl_file" [ -z "$missing" ] ||
	printf '#   GPL-2.0 by SPDX, not in a GPL-2 Files: stanza:%s\n' "$missing"
missing=
for p in $gpl_patterns; do grep -qF "$p" LICENSE || missing="$missing $p"; done
check "license_names_every_gpl_part" [ -z "$missing" ] || printf '#   not in LICENSE:%s\n' "$missing"
set +f

exit "$failed"
