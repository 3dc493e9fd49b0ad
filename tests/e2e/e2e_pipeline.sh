#!/usr/bin/env bash
# e2e_pipeline.sh - generated batch -> `daftar run` -> search finds each
# worker by name and by social-security number -> export has every document
# with its fields -> the viewer answers the search page and API over HTTP.
#
# The batch's numbers are printed in ASCII digits: this test is about the
# pipeline's plumbing.  How well Arabic-Indic and Persian digits are read is
# measured by scripts/bench-ocr and scripts/bench-extract (docs/BENCHMARKS.md);
# queries typed in those digits are checked here (check_pipeline.py).
set -euo pipefail
: "${DAFTAR_BIN:?}" "${DAFTAR_GEN:?}" "${DAFTAR_SOURCE_DIR:?}"
work=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$DAFTAR_GEN" batch --out "$work/batch" --seed 11 --files 4 --docs 2 \
  --lang mixed --degrade light --compression mixed --letters --digits ascii
status=0
"$DAFTAR_BIN" --archive "$work/archive" run --jobs 2 "$work/batch" || status=$?
[ "$status" = 0 ] || { echo "FAIL: daftar run exit status $status"; exit 1; }

python3 "$DAFTAR_SOURCE_DIR/tests/e2e/check_pipeline.py" "$DAFTAR_BIN" \
  "$work/archive" "$work/batch/truth.jsonl"

# Re-running the same batch records nothing new.
"$DAFTAR_BIN" --archive "$work/archive" ingest --json "$work/batch" >"$work/rerun.json"
grep -q '"documents":0' "$work/rerun.json" || { echo "FAIL: re-run recorded documents"; cat "$work/rerun.json"; exit 1; }

# The viewer, on a free port, for a logged-in staff member.
printf 'e2e-staff-password\n' |
  "$DAFTAR_BIN" --archive "$work/archive" user add tester --role staff
"$DAFTAR_BIN" --archive "$work/archive" serve --listen 127.0.0.1:0 >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do
  grep -q "listening on" "$work/serve.log" && break
  sleep 0.1
done
url=$(grep -o 'http://[0-9.:]*' "$work/serve.log" | head -1)
[ -n "$url" ] || { echo "FAIL: viewer did not start"; cat "$work/serve.log"; exit 1; }
curl -s -o /dev/null -w '%{http_code}' "$url/api/search?q=x" >"$work/anon.code"
[ "$(cat "$work/anon.code")" = 401 ] || { echo "FAIL: anonymous API call answered $(cat "$work/anon.code"), want 401"; exit 1; }
curl -sf -c "$work/jar" -o /dev/null -d user=tester -d password=e2e-staff-password "$url/login"
curl -sf -b "$work/jar" "$url/" -o "$work/index.html"
grep -q 'dir="rtl"' "$work/index.html" || { echo "FAIL: search page is not RTL"; exit 1; }
ssn=$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    d=json.loads(l)
    if d["fields"].get("worker_ssn"): print(d["fields"]["worker_ssn"]); break' "$work/batch/truth.jsonl")
curl -sf -b "$work/jar" "$url/api/search?q=$ssn" -o "$work/api.json"
python3 - "$work/api.json" "$ssn" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
assert r, "API search found nothing for the ssn"
assert any((x.get("worker") or {}).get("ssn") == sys.argv[2] for x in r), r
PY
# The worker's history says why each document is linked to him.
"$DAFTAR_BIN" --archive "$work/archive" worker "$ssn" >"$work/worker.txt"
grep -q 'linked by' "$work/worker.txt" &&
  grep -Eq '#[0-9]+  new_worker$' "$work/worker.txt" ||
  { echo "FAIL: worker history without why documents are linked"; cat "$work/worker.txt"; exit 1; }
# An archivist corrects a field through the API: the value is locked, and
# survives `daftar ocr --redo` and `daftar extract --all`.
printf 'e2e-archivist-password\n' |
  "$DAFTAR_BIN" --archive "$work/archive" user add keeper --role archivist
curl -sf -c "$work/jar2" -o /dev/null -d user=keeper -d password=e2e-archivist-password "$url/login"
csrf=$(curl -sf -b "$work/jar2" "$url/api/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])')
doc=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["id"])' "$work/api.json")
code=$(curl -s -b "$work/jar2" -o "$work/correct.json" -w '%{http_code}' \
  -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  --data '{"value": "مصحح بيد الأرشيفي"}' "$url/api/documents/$doc/fields/mother_name")
[ "$code" = 200 ] || { echo "FAIL: correction answered $code"; cat "$work/correct.json"; exit 1; }
kill "$server"; wait "$server" 2>/dev/null || true; server=
"$DAFTAR_BIN" --archive "$work/archive" ocr --redo --jobs 2 2>/dev/null
"$DAFTAR_BIN" --archive "$work/archive" extract --all 2>/dev/null
"$DAFTAR_BIN" --archive "$work/archive" export --format jsonl >"$work/after.jsonl"
python3 - "$work/after.jsonl" "$doc" <<'PY'
import json, sys
docs = {d["id"]: d for d in map(json.loads, open(sys.argv[1]))}
f = docs[int(sys.argv[2])]["fields"]["mother_name"]
assert f["value"] == "مصحح بيد الأرشيفي", f
assert f.get("locked") is True, f
PY
echo "1 passed, 0 failed"
