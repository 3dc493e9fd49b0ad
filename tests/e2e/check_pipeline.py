#!/usr/bin/env python3
"""check_pipeline.py DAFTAR ARCHIVE TRUTH - checks an archive after `daftar run`
against the generator's ground truth: every document exported once with its
fields, every worker found by social-security number and by name."""
import json
import subprocess
import sys

daftar, archive, truth_path = sys.argv[1:4]
truth = [json.loads(l) for l in open(truth_path, encoding="utf-8")]


def run(*args):
    out = subprocess.run([daftar, "--archive", archive, *args], check=True,
                         capture_output=True, text=True).stdout
    return out


failures = []
export = [json.loads(l) for l in run("export", "--format", "jsonl").splitlines()]
by_source = {}
for d in export:
    if d["source"] in by_source:
        failures.append(f"{d['source']}: exported twice")
    by_source[d["source"]] = d

fields_total = fields_right = 0
for t in truth:
    e = by_source.get(t["source"])
    if e is None:
        failures.append(f"{t['source']}: not exported")
        continue
    if not e["pages"] or not all(p["text"] for p in e["pages"]):
        failures.append(f"{t['source']}: a page has no text")
    # Letters name the worker in prose: extraction offers candidates there,
    # never facts, so only forms are scored field by field.
    for name, want in t["fields"].items():
        if want is None or t["doc_type"] == "other":
            continue
        fields_total += 1
        got = (e["fields"].get(name) or {}).get("value")
        if got == want:
            fields_right += 1
    if t["doc_type"] != "other" and e["doc_type"] != t["doc_type"]:
        failures.append(f"{t['source']}: doc_type {e['doc_type']}, want {t['doc_type']}")

# Every worker: by social-security number and by name (the best results).
workers = {}
for t in truth:
    ssn = t["fields"].get("worker_ssn")
    if ssn and t["doc_type"] != "other":
        workers.setdefault(ssn, (t["fields"]["worker_name"], set()))[1].add(t["source"])
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
for ssn, (name, sources) in workers.items():
    # Typed in any digit style, on Arabic or Kurdish keyboards.
    for query in (ssn, ssn.translate(ARABIC_INDIC), ssn.translate(PERSIAN),
                  "ssn:" + ssn, name):
        hits = json.loads(run("search", "--json", "--limit", "20", query))["results"]
        if not sources & {h["source"] for h in hits}:
            failures.append(f"search {query!r}: none of {sorted(sources)} found")

accuracy = fields_right / fields_total if fields_total else 0
print(f"documents {len(truth)}, exported {len(export)}, workers {len(workers)}, "
      f"fields exact {fields_right}/{fields_total} ({accuracy:.1%})")
if len(export) != len(truth):
    failures.append(f"exported {len(export)} documents, truth has {len(truth)}")
if accuracy < 0.80:
    failures.append(f"field accuracy {accuracy:.1%} under 80%")
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
