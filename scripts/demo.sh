#!/usr/bin/env bash
# demo.sh - the main job on a bundled sample, from a fresh Debian 12 machine:
# install and build, generate a sample batch of synthetic scanned forms and
# letters (Arabic and Sorani, degraded like real scans), run the pipeline
# (ingest, OCR, extraction, index), show a search, then start the viewer.
#
#   scripts/demo.sh               everything, viewer on 127.0.0.1:8080
#   DAFTAR_DEMO_LISTEN=ADDR:PORT  another address
#   DAFTAR_DEMO_NO_SERVE=1        stop after the pipeline (for scripts)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

daftar=build/cli/daftar
gen=build/tests/gen/daftar-gen
archive=${DAFTAR_ARCHIVE:-$PWD/demo/archive}
batch=$PWD/demo/batch-001

if [ ! -f "$batch/truth.jsonl" ]; then
  echo "== generating a sample batch in $batch"
  rm -rf "$batch"
  "$gen" batch --out "$batch" --seed 7 --files 8 --docs 2 --lang mixed \
    --degrade light --compression mixed --letters
fi

echo "== daftar run $batch (archive: $archive)"
status=0
"$daftar" --archive "$archive" run --operator demo --batch sample-001 "$batch" || status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then
  echo "demo: daftar run failed ($status)" >&2
  exit "$status"
fi

# The first SSN extracted (parsed as JSON: the export's spacing is not
# part of its contract).
ssn=$("$daftar" --archive "$archive" export --format jsonl | python3 -c '
import json, sys
for line in sys.stdin:
    v = json.loads(line).get("fields", {}).get("worker_ssn", {}).get("value")
    if v:
        print(v)
        break' || true)
if [ -n "$ssn" ]; then
  echo "== daftar search ssn:$ssn"
  "$daftar" --archive "$archive" search "ssn:$ssn" || true
  echo "== daftar worker $ssn"
  "$daftar" --archive "$archive" worker "$ssn" || true
fi

[ "${DAFTAR_DEMO_NO_SERVE:-0}" = 1 ] && exit 0

# The viewer needs an account: a demo archivist (can search, read and
# correct) and a demo admin (users and the audit log), passwords made here.
pw_file="$PWD/demo/passwords.txt"
if ! "$daftar" --archive "$archive" user list 2>/dev/null | grep -q '^demo-admin\b'; then
  umask 077
  printf 'archivist %s\nadmin %s\n' "$(head -c 12 /dev/urandom | base64 | tr -d '/+=')" \
    "$(head -c 12 /dev/urandom | base64 | tr -d '/+=')" >"$pw_file"
  for role in archivist admin; do
    name=demo; [ "$role" = admin ] && name=demo-admin
    awk -v r="$role" '$1 == r {print $2}' "$pw_file" |
      { "$daftar" --archive "$archive" user add "$name" --role "$role" 2>/dev/null ||
        awk -v r="$role" '$1 == r {print $2}' "$pw_file" |
          "$daftar" --archive "$archive" user passwd "$name"; }
  done
fi
listen=${DAFTAR_DEMO_LISTEN:-127.0.0.1:8080}
echo "== the viewer: open http://$listen/ (Ctrl-C to stop)"
echo "   log in as 'demo' (archivist) or 'demo-admin' (admin); passwords in $pw_file:"
sed 's/^/     /' "$pw_file"
exec "$daftar" --archive "$archive" serve --listen "$listen"
