#!/usr/bin/env bash
# e2e_cli.sh - the command's contract: help, version, exit statuses, refusals
# reported with the file and the reason, nothing written outside the archive.
set -uo pipefail
: "${DAFTAR_BIN:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
pass=0
check() { # check NAME WANT_STATUS GOT_STATUS
  if [ "$2" = "$3" ]; then pass=$((pass + 1)); else
    echo "FAIL: $1: exit status $3, want $2"; fails=$((fails + 1)); fi
}
contains() { # contains NAME FILE TEXT
  if grep -q -- "$3" "$2"; then pass=$((pass + 1)); else
    echo "FAIL: $1: '$3' not in output:"; cat "$2"; fails=$((fails + 1)); fi
}
d() { "$DAFTAR_BIN" "$@" >"$work/out" 2>"$work/err"; }

d --help; check "--help" 0 $?; contains "--help lists run" "$work/out" "run "
d --version; check "--version" 0 $?; contains "--version" "$work/out" "daftar "
d; check "no command" 2 $?
d frobnicate; check "unknown command" 2 $?; contains "unknown command names it" "$work/err" "frobnicate"
for cmd in ingest ocr extract run search worker export serve verify batches batch; do
  d "$cmd" --help; check "$cmd --help" 0 $?; contains "$cmd --help" "$work/out" "usage: daftar $cmd"
done
d ingest --archive "$work/a"; check "ingest without PATH" 2 $?
d search --archive "$work/a" --bogus x; check "unknown option" 2 $?
d search --archive "$work/a" --limit nope x; check "bad --limit" 2 $?
d export --archive "$work/a" --format csv; check "export --format csv" 2 $?
d worker --archive "$work/a" 0000000000; check "unknown worker" 1 $?
contains "unknown worker message" "$work/err" "no worker"

# An empty archive searches to nothing, in JSON too.
d search --archive "$work/a" --json "محمد"; check "search empty archive" 0 $?
contains "empty results json" "$work/out" '"results": *\[\]'

# Refusal: a file that is not an image.  Named with its reason, exit 3,
# quarantined, and nothing written outside the archive.
mkdir -p "$work/batch/01234"
printf 'this is not a scan\n' >"$work/batch/01234/notes.tif"
before=$(cd "$work" && find . -path ./a -prune -o -print | sort)
DAFTAR_ARCHIVE="$work/a" "$DAFTAR_BIN" ingest "$work/batch" >"$work/out" 2>"$work/err"
check "ingest of a non-image" 3 $?
contains "refusal names the file" "$work/err" "notes.tif"
after=$(cd "$work" && find . -path ./a -prune -o -print | sort)
if [ "$before" = "$after" ]; then
  pass=$((pass + 1)); else echo "FAIL: files written outside the archive:";
  diff <(echo "$before") <(echo "$after"); fails=$((fails + 1)); fi
d batches --archive "$work/a" --json; check "batches" 0 $?
contains "batches lists the refusal count" "$work/out" '"refused":1'
d batch --archive "$work/a" 1; check "batch 1" 0 $?
contains "batch shows the reason" "$work/out" "notes.tif"

echo "$pass passed, $fails failed"
[ "$fails" = 0 ]
