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
# A one-letter prefix is refused with the reason (it would merge the
# doclists of a large share of all words), exit 2.
d search --archive "$work/a" "م*"; check "one-letter prefix" 2 $?
contains "one-letter prefix reason" "$work/err" "at least 2 letters"

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

# Accounts (issue 7): the password never on the command line; refusals
# leave no account behind; the audit chain verifies and shows tampering.
u="$work/u"
for cmd in user audit; do
  d "$cmd" --help; check "$cmd --help" 0 $?; contains "$cmd --help" "$work/out" "usage: daftar $cmd"
done
d user add x1 --archive "$u" --role staff --password secret-password-1
check "user add --password is refused" 2 $?
contains "--password refusal says why" "$work/err" "never taken from the command line"
if grep -q "secret-password-1" "$work/err" "$work/out"; then
  echo "FAIL: the password was echoed"; fails=$((fails + 1)); else pass=$((pass + 1)); fi
echo "long-enough-pw-1" | d user add x1 --archive "$u" --role king
check "user add unknown role" 2 $?; contains "unknown role message" "$work/err" "role must be"
echo "short" | d user add x1 --archive "$u" --role staff
check "user add short password" 1 $?; contains "short password message" "$work/err" "too short"
d user add x1 --archive "$u" --role staff </dev/null
check "user add without a password" 1 $?
d user add x1 --archive "$u"; check "user add without --role" 2 $?
echo "long-enough-pw-1" | d user add "a b" --archive "$u" --role staff
check "user add bad name" 2 $?
d user list --archive "$u"; check "user list (empty)" 0 $?
if [ -s "$work/out" ]; then echo "FAIL: refused adds left accounts:"; cat "$work/out"
  fails=$((fails + 1)); else pass=$((pass + 1)); fi
printf 'admin-password-1\n' >"$work/pw"
d user add boss --archive "$u" --role admin --password-file "$work/pw"
check "user add --password-file" 0 $?
echo "staff-password-1" | d user add clerk --archive "$u" --role staff
check "user add from stdin" 0 $?
d user add clerk --archive "$u" --role staff --password-file "$work/pw"
check "user add twice" 1 $?; contains "duplicate message" "$work/err" "already taken"
d user list --archive "$u" --json; check "user list --json" 0 $?
contains "user list json" "$work/out" '"name": "clerk", "role": "staff"'
if grep -q "password" "$work/out"; then echo "FAIL: user list shows password hashes"
  fails=$((fails + 1)); else pass=$((pass + 1)); fi
echo "new-staff-password" | d user passwd clerk --archive "$u"; check "user passwd" 0 $?
d user passwd ghost --archive "$u" --password-file "$work/pw"; check "user passwd unknown" 1 $?
d user disable clerk --archive "$u"; check "user disable" 0 $?
d user disable ghost --archive "$u"; check "user disable unknown" 1 $?
d user list --archive "$u"; contains "disabled shown" "$work/out" "disabled"
d audit verify --archive "$u"; check "audit verify" 0 $?
contains "audit verify intact" "$work/out" "chain intact"
d audit list --archive "$u" --json --action user_add
check "audit list --json" 0 $?; contains "audit list has user_add" "$work/out" '"object": "clerk"'
d audit bogus --archive "$u"; check "audit bogus" 2 $?
sqlite3 "$u/daftar.db" "DROP TRIGGER audit_no_update; UPDATE audit SET object = 'x' WHERE id = 2;"
d audit verify --archive "$u"; check "audit verify after tampering" 1 $?
contains "audit verify names the row" "$work/out" "broken at row 2"
d serve --archive "$u" --tls-cert "$work/pw"; check "serve --tls-cert without key" 2 $?

d events --archive "$work/a" --json; check "events" 0 $?
contains "events: quarantine recorded" "$work/out" '"type":"quarantine"'
contains "events: the refusal names the source" "$work/out" 'notes.tif'
d events --archive "$work/a" --batch nope; check "events --batch nope" 2 $?

# Identity decisions: the queue, and refusals of bad requests.
d identity --archive "$work/a" suggestions --json; check "identity suggestions" 0 $?
contains "identity suggestions json" "$work/out" '"suggestions": *\['
d identity --archive "$work/a" accept 999; check "identity accept unknown" 1 $?
contains "identity accept unknown says so" "$work/err" "no such"
d identity --archive "$work/a" merge 1; check "identity merge needs two" 2 $?
d identity --archive "$work/a" frobnicate; check "identity unknown action" 2 $?
d identity --archive "$work/a" suggestions --status maybe; check "identity bad status" 2 $?

# A good page: ingestion and digest events; verify records fixity checks,
# and catches a flipped byte in the stored master.
if [ -n "${DAFTAR_GEN:-}" ]; then
  mkdir -p "$work/good/07777"
  "$DAFTAR_GEN" line --text "رقم الضمان ١٢٣٤٥" --out "$work/good/07777/doc-01.tif" >/dev/null 2>&1
  d ingest --archive "$work/a" "$work/good"; check "ingest a good page" 0 $?
  d events --archive "$work/a" --json
  contains "events: ingestion" "$work/out" '"type":"ingestion"'
  contains "events: digest" "$work/out" '"type":"message digest calculation"'
  d verify --archive "$work/a"; check "verify intact archive" 0 $?
  d events --archive "$work/a" --json --limit 5
  contains "events: fixity check" "$work/out" '"type":"fixity check","outcome":"success"'
  obj=$(find "$work/a/objects" -type f | head -1)
  chmod u+w "$obj"; printf 'X' | dd of="$obj" bs=1 seek=100 conv=notrunc 2>/dev/null
  d verify --archive "$work/a"; check "verify catches a flipped byte" 1 $?
  d events --archive "$work/a" --json --limit 5
  contains "events: failed fixity check" "$work/out" '"type":"fixity check","outcome":"failure"'
fi

echo "$pass passed, $fails failed"
[ "$fails" = 0 ]
