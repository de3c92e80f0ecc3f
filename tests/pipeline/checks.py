#!/usr/bin/env python3
"""tests/pipeline/checks.py: the checks of the multi-process tests that are easier to say in
Python than in shell. Each subcommand prints what it found and exits 0 (holds) or 1 (does
not hold); the shell script turns that into one PASS / FAIL line.

  expected-counts EXAMPLES_DIR      channel|count lines the examples must give (sorted)
  pii DB EXAMPLES_DIR               no e-mail address or phone number of the examples in
                                    records.text / norm_text
  legacy DB CSV                     every row of the Windows-1254 CSV is stored with the
                                    same text, decoded to proper Turkish letters
  tag-json FIELD=VALUE...           reads one `kulak tag` JSON line on stdin; lang=tr,
                                    label=neg, theme=delay (theme: among "themes")
  estimate-ratio R                  reads `kulak estimate` JSON on stdin; fixed ratio R,
                                    unhappy = complainers * R, silent = unhappy - complainers
  json-field PATH                   reads JSON on stdin, prints the value at a.b.c
  compare-input DB JSONL             every record of the JSON Lines file is stored once, with
                                    its text, rating and time
  gen-reviews N PATH [PREFIX]       N JSON Lines reviews with ids PREFIX-00000..., varied
                                    Turkish and English texts
"""
import csv
import glob
import io
import json
import os
import random
import re
import sqlite3
import sys

# The channel a file's name announces (kulak reads it from the name when rows have none).
CHANNEL_OF_PREFIX = [("agent_note", "agent_note"), ("review", "review"),
                     ("social", "social"), ("survey", "survey")]

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[A-Za-z]{2,}")
# 10 to 13 digits, single spaces allowed between them, optional leading +: the phone
# numbers of the examples (0532 418 27 93, 05321234567, +44 7700 900123, +90 535 640 1287)
PHONE = re.compile(r"(?<!\d)(?:\+?\d ?){10,13}(?!\d)")


def decode(raw):
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1254")


def read_text(path):
    with open(path, "rb") as f:
        return decode(f.read())


def broken_lines(readme):
    """Line numbers social_messy.README says are broken on purpose."""
    lines = set()
    if os.path.exists(readme):
        for line in read_text(readme).splitlines():
            m = re.match(r"line\s+(\d+)\s", line)
            if m:
                lines.add(int(m.group(1)))
    return lines


def expected_counts(examples):
    counts = {}
    for path in sorted(glob.glob(os.path.join(examples, "*.csv"))
                       + glob.glob(os.path.join(examples, "*.jsonl"))):
        name = os.path.basename(path)
        channel = next((c for p, c in CHANNEL_OF_PREFIX if name.startswith(p)), None)
        if channel is None:
            continue
        if name.endswith(".csv"):
            rows = list(csv.reader(io.StringIO(read_text(path), newline="")))
            n = len(rows) - 1
        else:
            broken = broken_lines(path[: -len(".jsonl")] + ".README")
            n = sum(1 for i, line in enumerate(read_text(path).splitlines(), 1)
                    if line.strip() and i not in broken)
        counts[channel] = counts.get(channel, 0) + n
    for channel in sorted(counts):
        print(f"{channel}|{counts[channel]}")
    return 0


def pii(db, examples):
    secrets = set()
    for path in glob.glob(os.path.join(examples, "*")):
        text = read_text(path)
        secrets.update(m.group() for m in EMAIL.finditer(text))
        secrets.update(m.group().strip() for m in PHONE.finditer(text))
    if not secrets:
        print("the examples hold no e-mail address or phone number: nothing to check")
        return 1
    found = []
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    for rid, ext, text, norm in con.execute(
            "SELECT id, external_id, text, norm_text FROM records"):
        for column, value in (("text", text), ("norm_text", norm)):
            value = value or ""
            leaks = [s for s in secrets if s in value]
            leaks += [m.group() for m in EMAIL.finditer(value)]
            leaks += [m.group() for m in PHONE.finditer(value)]
            if leaks:
                found.append(f"{ext or rid} {column}: {sorted(set(leaks))}")
    print(f"{len(secrets)} e-mail addresses / phone numbers in the examples; "
          f"{len(found)} leaks")
    for line in found[:10]:
        print("  " + line)
    return 1 if found else 0


def legacy(db, path):
    raw = open(path, "rb").read()
    try:
        raw.decode("utf-8")
        print(f"{path} is valid UTF-8: it is not the legacy file this check expects")
        return 1
    except UnicodeDecodeError:
        pass
    rows = list(csv.DictReader(io.StringIO(raw.decode("cp1254"), newline="")))
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    bad = []
    turkish = 0
    for row in rows:
        got = con.execute("SELECT text FROM records WHERE external_id = ?",
                          (row["id"],)).fetchone()
        if got is None:
            bad.append(f"{row['id']}: not stored")
        elif got[0] != row["text"]:
            bad.append(f"{row['id']}: stored {got[0]!r}, file says {row['text']!r}")
        elif re.search("[ıİşŞğĞçÇöÖüÜ]", got[0]):
            turkish += 1
    print(f"{len(rows)} rows, {turkish} with Turkish letters, {len(bad)} wrong")
    for line in bad[:5]:
        print("  " + line)
    return 1 if bad or turkish == 0 else 0


def tag_json(wanted):
    line = sys.stdin.readline()
    try:
        obj = json.loads(line)
    except ValueError:
        print(f"not JSON: {line!r}")
        return 1
    missing = []
    for item in wanted:
        key, value = item.split("=", 1)
        if key == "theme":
            if value not in (obj.get("themes") or []):
                missing.append(f"theme {value} not in {obj.get('themes')}")
        elif str(obj.get(key)) != value:
            missing.append(f"{key} is {obj.get(key)!r}, expected {value!r}")
    print("; ".join(missing) if missing else "ok")
    return 1 if missing else 0


def estimate_ratio(ratio):
    try:
        obj = json.load(sys.stdin)
    except ValueError as e:
        print(f"not JSON: {e}")
        return 1
    fixed = obj.get("fixed_ratio") or {}
    complainers = obj.get("complainers")
    problems = []
    if not isinstance(complainers, int) or complainers <= 0:
        problems.append(f"complainers is {complainers!r}")
    else:
        if fixed.get("ratio") != ratio:
            problems.append(f"fixed_ratio.ratio is {fixed.get('ratio')!r}, expected {ratio}")
        if fixed.get("unhappy") != complainers * ratio:
            problems.append(f"unhappy {fixed.get('unhappy')!r} != complainers {complainers}"
                            f" x {ratio}")
        if fixed.get("silent") != complainers * ratio - complainers:
            problems.append(f"silent {fixed.get('silent')!r} != unhappy - complainers")
    print("; ".join(problems) if problems else "ok")
    return 1 if problems else 0


def json_field(path):
    try:
        obj = json.load(sys.stdin)
        for key in path.split("."):
            obj = obj[key]
    except (ValueError, KeyError, TypeError, IndexError):
        print("")
        return 1
    print(obj)
    return 0


def compare_input(db, path):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    stored = {}
    for ext, text, rating, time in con.execute(
            "SELECT external_id, text, rating, time FROM records"):
        stored.setdefault(ext, []).append((text, rating, time))
    bad = []
    total = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            want = json.loads(line)
            total += 1
            got = stored.get(want["id"], [])
            if len(got) != 1:
                bad.append(f"{want['id']}: stored {len(got)} times")
            elif got[0] != (want["text"], want["rating"], want["time"]):
                bad.append(f"{want['id']}: stored {got[0]!r}")
    print(f"{total} input records, {len(bad)} missing, doubled or different")
    for line in bad[:5]:
        print("  " + line)
    return 1 if bad else 0


def gen_reviews(n, path, prefix="GEN"):
    rnd = random.Random(20260)
    tr_subjects = ["Kargo", "Siparişim", "Uygulama", "Müşteri hizmetleri", "İade",
                   "Faturam", "Kurye", "Ödeme sayfası", "Teslimat noktası", "Temsilci"]
    tr_predicates = ["üç gündür gelmedi", "çok hızlı geldi, teşekkürler", "sürekli hata veriyor",
                     "hiç yardımcı olmadı", "iptal edildi ve kimse haber vermedi",
                     "hasarlı geldi", "beklediğimden iyiydi", "bir saattir meşgul çalıyor",
                     "fazla ücret kesti", "çok kaba davrandı"]
    en_subjects = ["The delivery", "The app", "Support", "My refund", "The courier",
                   "Checkout", "The invoice", "Customer service", "The parcel", "The agent"]
    en_predicates = ["was late again", "works great", "never answered", "is far too expensive",
                     "crashed twice today", "arrived damaged", "was quick and friendly",
                     "kept me on hold for an hour", "charged me twice", "was rude to me"]
    endings = ["", "!", "!!", " rezalet.", " teşekkürler.", " thanks.", " never again.",
               " 😡", " 👍", " :("]
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            if rnd.random() < 0.5:
                text = f"{rnd.choice(tr_subjects)} {rnd.choice(tr_predicates)}"
            else:
                text = f"{rnd.choice(en_subjects)} {rnd.choice(en_predicates)}"
            text += rnd.choice(endings) + f" (#{i})"
            record = {"id": f"{prefix}-{i:05d}", "channel": "review", "source": "loadgen",
                      "customer": f"C-{rnd.randint(1, 5000)}",
                      "time": f"2026-{1 + i % 9:02d}-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z",
                      "rating": 1 + rnd.randint(0, 4), "text": text}
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    command, args = argv[1], argv[2:]
    if command == "expected-counts":
        return expected_counts(args[0])
    if command == "pii":
        return pii(args[0], args[1])
    if command == "legacy":
        return legacy(args[0], args[1])
    if command == "tag-json":
        return tag_json(args)
    if command == "estimate-ratio":
        return estimate_ratio(int(args[0]))
    if command == "json-field":
        return json_field(args[0])
    if command == "compare-input":
        return compare_input(args[0], args[1])
    if command == "gen-reviews":
        return gen_reviews(int(args[0]), args[1], *(args[2:3]))
    print(f"unknown command {command}")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
