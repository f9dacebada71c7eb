#!/usr/bin/env python3
"""Measure framescope's quotations and speakers against BASIL-style annotated spans.

Usage (from the repository root; the data stays where it is, nothing is copied):
    cargo build --release
    target/release/framescope analyze ../shared/eval/basil-dev/basil_dev_articles.jsonl \
        --out /tmp/basil-reports --quiet
    python3 scripts/quote_check.py ../shared/eval/basil-dev/basil_dev_articles.jsonl \
        /tmp/basil-reports/quotes.csv

For every annotated span (titles left out) it asks: is the span inside a quotation framescope
found? A span counts as inside when at least half of its characters fall inside a direct or
partial quotation (scare quotes are the outlet's device, and BASIL marks them as the author's
word choice). Against the annotation's `in_quote` it prints precision, recall and F1 of
"inside a quotation", overall and by bias type, beside the figures of a baseline that calls a
span quoted when it contains a double quotation mark.

For spans inside a quotation whose annotated `speaker` is a name (not `other_*`), it prints how
often the quotation framescope found carries a speaker (or resolved pronoun) that names it: the
speaker text contains one of the label's words of four letters or more (`Donald_Trump` ->
`Trump`), case-insensitively.
Standard library only. Offsets are Unicode code points, as in quotes.csv's char columns.
"""

import csv
import json
import sys
from collections import defaultdict


GROUP_WORDS = {"party", "campaign", "democrats", "republicans", "lawmakers", "officials",
               "house", "senate", "administration", "companies", "catholics", "plaintiffs",
               "naacp", "committee", "supporters", "critics", "members", "leaders"}


def is_person_label(label):
    parts = [p for p in label.split("_") if p]
    return len(parts) >= 2 and all(p[0].isupper() for p in parts) and not any(
        p.lower() in GROUP_WORDS for p in parts)


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main(gold_path, quotes_path):
    quotes = defaultdict(list)
    with open(quotes_path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["kind"] in ("direct", "partial"):
                quotes[row["article_id"]].append(row)
    counts = defaultdict(lambda: [0, 0, 0])  # group -> tp, fp, fn
    base = defaultdict(lambda: [0, 0, 0])
    named_total = named_hit = named_in_found = 0
    # the same for labels that name one person (`Donald_Trump`), apart from groups
    # (`Tea_Party`, `Obama_campaign`, `House_Democrats`), which the text often voices through a
    # named spokesperson
    person_total = person_hit = person_in_found = 0
    with open(gold_path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            a = json.loads(line)
            text = a["text"]
            qs = quotes.get(a["id"], [])
            for sp in a["spans"]:
                s, e = sp["start"], sp["end"]
                if e <= s:
                    continue
                inside_q = None
                covered = 0
                for q in qs:
                    qs_, qe = int(q["char_start"]), int(q["char_end"])
                    ov = max(0, min(e, qe) - max(s, qs_))
                    if ov > covered:
                        covered, inside_q = ov, q
                predicted = covered * 2 >= (e - s)
                gold = bool(sp["in_quote"])
                naive = any(c in text[s:e] for c in '"\u201c\u201d')
                for g in ("all", sp["bias_type"]):
                    c = counts[g]
                    c[0] += predicted and gold
                    c[1] += predicted and not gold
                    c[2] += (not predicted) and gold
                    b = base[g]
                    b[0] += naive and gold
                    b[1] += naive and not gold
                    b[2] += (not naive) and gold
                label = sp.get("speaker") or ""
                if gold and label and not label.startswith("other"):
                    person = is_person_label(label)
                    named_total += 1
                    person_total += person
                    if predicted and inside_q is not None:
                        named_in_found += 1
                        person_in_found += person
                        who = (inside_q["speaker"] + " " + inside_q["speaker_resolved"]).lower()
                        words = [w.lower() for w in label.split("_") if len(w) >= 4]
                        if any(w in who for w in words):
                            named_hit += 1
                            person_hit += person
    print("inside a quotation vs in_quote (positive class: quoted)")
    print(f"{'spans':14} {'n':>5} {'prec':>7} {'recall':>7} {'F1':>7}   baseline: {'prec':>7} {'recall':>7} {'F1':>7}")
    for g in ("all", "lexical", "informational"):
        tp, fp, fn = counts[g]
        bp, br, bf = prf(*base[g])
        p, r, f1 = prf(tp, fp, fn)
        n = tp + fn
        print(f"{g:14} {n:5d} {p:7.3f} {r:7.3f} {f1:7.3f}             {bp:7.3f} {br:7.3f} {bf:7.3f}")
    print()
    print(f"quoted spans with a named speaker label: {named_total}")
    print(f"  inside a quotation framescope found: {named_in_found}")
    share = named_hit / named_in_found if named_in_found else 0.0
    print(f"  whose found speaker names the label: {named_hit} ({share:.3f} of those found)")
    print(f"of which labels naming one person: {person_total}")
    print(f"  inside a quotation framescope found: {person_in_found}")
    share = person_hit / person_in_found if person_in_found else 0.0
    print(f"  whose found speaker names the label: {person_hit} ({share:.3f} of those found)")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
