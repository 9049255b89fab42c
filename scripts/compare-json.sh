#!/usr/bin/env bash
# Before/after harness for refactors that must not change behaviour.
#   scripts/compare-json.sh run OUT [CORPUS]   bundle this checkout, then save the JSON output of
#                                              every fixture case and every CORPUS/* folder to OUT/
#   scripts/compare-json.sh diff A B           compare two such folders byte for byte; exit 1 on a difference
# CORPUS defaults to ../shared/corpus beside the checkout (skipped when absent). Each output file
# holds the JSON report followed by a line with the exit code; stderr goes to a .err file. The
# linting runs in one node process (scripts/compare-json.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mode=${1:-}
case "$mode" in
  run)
    out=$(mkdir -p "$2" && cd "$2" && pwd)
    corpus=${3:-$root/../shared/corpus}
    npm run bundle --silent >/dev/null
    list() {
      find fixtures -mindepth 3 -maxdepth 3 -type d -path 'fixtures/*/*tive/*' | sort | while IFS= read -r dir; do
        rel=${dir#fixtures/}
        printf 'fixture__%s\t%s\n' "${rel//\//__}" "$dir"
      done
      printf 'fixture__demo\tfixtures/demo\n'
      if [ -d "$corpus" ]; then
        for dir in "$corpus"/*/; do printf 'corpus__%s\t%s\n' "$(basename "$dir")" "$dir"; done
      fi
    }
    list >"$out/.list"
    node scripts/compare-json.mjs "$out" <"$out/.list"
    n=$(grep -c '^fixture__' "$out/.list"); m=$(grep -c '^corpus__' "$out/.list" || true)
    echo "saved $n fixture cases and $m corpus folders to $out"
    ;;
  diff)
    a=$2; b=$3; bad=0; same=0
    for f in $( (cd "$a" && ls; cd "$b" && ls) | sort -u); do  # ls skips .list
      if [ ! -e "$a/$f" ] || [ ! -e "$b/$f" ]; then echo "only in one: $f"; bad=$((bad + 1));
      elif ! cmp -s "$a/$f" "$b/$f"; then echo "differs: $f"; bad=$((bad + 1));
      else same=$((same + 1)); fi
    done
    echo "$same identical, $bad different"
    [ "$bad" -eq 0 ]
    ;;
  *)
    echo "usage: $0 run OUT [CORPUS] | diff A B" >&2
    exit 2
    ;;
esac
