#!/usr/bin/env bash
# Checks what mdBook itself does not: every {{#include}} in docs/ must name a
# file that exists and an anchor (or line range) that is in it, and the built
# HTML must contain no include left unexpanded. It also checks each page's
# shape (its question first, "What to try" last) and that every exercise
# has a page in the book.
#
# mdBook 0.5.4 only logs an error for a missing file and still exits 0, and
# it silently includes nothing for a missing anchor. Either would put a hole
# in the book that nobody notices.
#
# Usage: tools/check-book.sh [--built]   (--built also scans book/ for raw includes)
set -euo pipefail
cd "$(dirname "$0")/.."

errors=0
fail() {
    echo "check-book: $*" >&2
    errors=$((errors + 1))
}

count=0
while IFS= read -r hit; do
    md=${hit%%:*}
    rest=${hit#*:}
    line=${rest%%:*}
    directive=${rest#*:}
    spec=$(sed -E 's/^\{\{#(rustdoc_)?include +([^}]*)\}\}$/\2/' <<<"$directive")
    spec=${spec%% *}
    file=${spec%%:*}
    selector=""
    [ "$file" != "$spec" ] && selector=${spec#*:}
    path="$(dirname "$md")/$file"
    count=$((count + 1))

    if [ ! -f "$path" ]; then
        fail "$md:$line: includes $file, which does not exist"
        continue
    fi
    if [ -z "$selector" ]; then
        continue
    fi
    if [[ "$selector" =~ ^[0-9]*(:[0-9]*)?$ ]]; then
        first=${selector%%:*}
        lines=$(wc -l <"$path")
        if [ -n "$first" ] && [ "$first" -gt "$lines" ]; then
            fail "$md:$line: $file has $lines lines, the include starts at line $first"
        fi
        continue
    fi
    # A named anchor: both markers must be there, in order, with code between.
    body=$(awk -v name="$selector" '
        $0 ~ "ANCHOR_END: *" name "([^A-Za-z0-9_]|$)" { if (open) { done = 1; open = 0 }; next }
        $0 ~ "ANCHOR: *" name "([^A-Za-z0-9_]|$)" { open = 1; seen = 1; next }
        open && $0 !~ /ANCHOR(_END)?:/ && $0 ~ /[^[:space:]]/ { n++ }
        END { printf "%d %d %d", seen, done, n }
    ' "$path")
    read -r seen done n <<<"$body"
    if [ "$seen" != 1 ]; then
        fail "$md:$line: $file has no anchor '$selector'"
    elif [ "$done" != 1 ]; then
        fail "$md:$line: anchor '$selector' in $file has no ANCHOR_END"
    elif [ "$n" = 0 ]; then
        fail "$md:$line: anchor '$selector' in $file is empty"
    fi
done < <(grep -rnoE '\{\{#(rustdoc_)?include [^}]+\}\}' docs --include='*.md')

# The shape of every page: it opens with the question it answers and ends
# with what to try. A page without either is a page nobody finished.
pages=0
while IFS= read -r md; do
    pages=$((pages + 1))
    if ! head -n 8 "$md" | grep -q '^> \*\*The question:\*\*'; then
        fail "$md: does not open with '> **The question:**' in its first lines"
    fi
    if [ "$(grep '^## ' "$md" | tail -n 1)" != "## What to try" ]; then
        fail "$md: its last section is not '## What to try'"
    fi
done < <(find docs -name '*.md' ! -name SUMMARY.md | sort)

# Every exercise has its page, and the page is in the book.
for dir in exercises/[0-9][0-9]-*/; do
    page="docs/exercises/$(basename "$dir").md"
    if [ ! -f "$page" ]; then
        fail "$dir has no task page $page"
    elif ! grep -qF "(${page#docs/})" docs/SUMMARY.md; then
        fail "$page is not listed in docs/SUMMARY.md"
    fi
done

if [ "${1:-}" = "--built" ]; then
    if [ ! -d book ]; then
        fail "book/ does not exist: run mdbook build first"
    elif raw=$(grep -rlE '\{\{#(rustdoc_)?include' book --include='*.html'); then
        for page in $raw; do
            fail "$page still contains a raw {{#include}}"
        done
    fi
fi

if [ "$errors" -gt 0 ]; then
    echo "check-book: $errors problem(s) in $count include(s) and $pages page(s)" >&2
    exit 1
fi
echo "check-book: all $count includes resolve; all $pages pages open with their question and end with what to try"
