#!/usr/bin/env bash
# Grades one exercise against the student's `src/starter.rs`: what
# `just exercise N` runs. N is the exercise's number, written `8` or `08`.
# Anything else lists the exercises and exits with status 2.
#
# Usage: tools/exercise.sh N
set -euo pipefail
cd "$(dirname "$0")/.."

n=${1-}
dir=
if [[ $n =~ ^[0-9]{1,2}$ ]]; then
    # `10#` reads "08" as eight; bare, bash would take it for a bad octal number.
    dir=$(compgen -G "exercises/$(printf '%02d' "$((10#$n))")-*" | head -n 1 || true)
fi
if [[ -z $dir ]]; then
    if [[ -z $n ]]; then
        echo "exercise: which one? Give its number:" >&2
    else
        echo "exercise: there is no exercise '$n'. Give one of these numbers:" >&2
    fi
    for folder in exercises/[0-9][0-9]-*/; do
        name=$(basename "$folder")
        echo "  $((10#${name%%-*}))  ${name#*-}" >&2
    done
    exit 2
fi
exec cargo test -p "exercise-$(basename "$dir")" --features starter
