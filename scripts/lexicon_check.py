#!/usr/bin/env python3
"""Measure framescope's lexicon hits against annotated lexical-bias spans (BASIL-style JSONL).

Usage (from the repository root; the data stays where it is, nothing is copied):
    cargo build --release
    target/release/framescope analyze ../shared/eval/basil-dev/basil_dev_articles.jsonl \
        --out /tmp/basil-reports --quiet
    python3 scripts/lexicon_check.py ../shared/eval/basil-dev/basil_dev_articles.jsonl \
        /tmp/basil-reports/hits.csv

For every category and side it prints, over the article texts (titles left out):
  flags      tokens flagged (a token is flagged when a hit overlaps it)
  prec       token precision: flagged tokens inside an annotated lexical span / flagged tokens
  base       the same for a random baseline that flags as many random content words in each
             article as the category flagged there (seed "7:<group>", mean of 20 repeats)
  cover      share of author-voice lexical spans (in_quote false) with at least one flagged
             token, and its baseline
Rows: `all`, each side (`side:`), each side's author-voice hits only (`author:`; hits.csv
`voice = author`), then each category.
Informational spans (content selection, which no lexicon can see) are reported apart.
Standard library only. Offsets are Unicode code points, as in hits.csv's char columns.
"""

import csv
import json
import random
import re
import sys
from collections import defaultdict

WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
STOP = set(
    """a an the and or but if of in on at to for from by with as is are was were be been being
    it its this that these those he she they we you i his her their our your my me him them us
    not no so than then there here who whom which what when where why how all any each few more
    most other some such only own same too very can will just do does did has have had would
    should could may might must also into over after before about against between through during
    up down out off again further once said says say""".split()
)


def tokens(text):
    return [(m.start(), m.end(), m.group(0).lower()) for m in WORD.finditer(text)]


def main(gold_path, hits_path, repeats=20, seed=7):
    articles = {}
    with open(gold_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                a = json.loads(line)
                articles[a["id"]] = a
    hits = defaultdict(list)  # id -> [(start, end, lexicon, side)]
    with open(hits_path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["field"] != "text":
                continue
            hits[row["article_id"]].append(
                (int(row["char_start"]), int(row["char_end"]), row["lexicon"], row["side"],
                 row.get("voice", ""))
            )

    groups = defaultdict(lambda: defaultdict(set))  # group -> id -> token indices flagged
    tok_cache, lex_tok, auth_spans, info_tok = {}, {}, {}, {}
    for aid, a in articles.items():
        toks = tokens(a["text"])
        tok_cache[aid] = toks
        lexical = [s for s in a["spans"] if s["bias_type"] == "lexical"]
        inside = set()
        for i, (s, e, _) in enumerate(toks):
            if any(sp["start"] < e and s < sp["end"] for sp in lexical):
                inside.add(i)
        lex_tok[aid] = inside
        info_tok[aid] = {
            i
            for i, (s, e, _) in enumerate(toks)
            if any(sp["start"] < e and s < sp["end"] for sp in a["spans"] if sp["bias_type"] == "informational")
        }
        auth_spans[aid] = [
            {i for i, (s, e, _) in enumerate(toks) if sp["start"] < e and s < sp["end"]}
            for sp in lexical
            if not sp["in_quote"]
        ]
        for hs, he, lex, side, voice in hits.get(aid, []):
            flagged = {i for i, (s, e, _) in enumerate(toks) if hs < e and s < he}
            gs = [lex, "side:" + side, "all"]
            if voice == "author":
                gs.append("author:" + side)
            for g in gs:
                groups[g][aid] |= flagged

    n_auth = sum(len(v) for v in auth_spans.values())
    n_lex_tok = sum(len(v) for v in lex_tok.values())
    n_tok = sum(len(v) for v in tok_cache.values())
    print(f"articles {len(articles)}  tokens {n_tok}  lexical-span tokens {n_lex_tok} "
          f"(base rate {n_lex_tok / n_tok:.4f})  author-voice lexical spans {n_auth}")
    content = {aid: [i for i, t in enumerate(toks) if t[2] not in STOP and not t[2].isdigit()]
               for aid, toks in tok_cache.items()}

    def score(flag_by_id):
        flagged = sum(len(v) for v in flag_by_id.values())
        inside = sum(len(v & lex_tok[aid]) for aid, v in flag_by_id.items())
        info = sum(len(v & info_tok[aid]) for aid, v in flag_by_id.items())
        covered = sum(1 for aid, spans in auth_spans.items() for sp in spans if sp & flag_by_id.get(aid, set()))
        return flagged, inside, info, covered

    print(f"{'group':34} {'flags':>6} {'prec':>7} {'base':>7} {'cover':>7} {'base':>7} {'info%':>6}")
    order = lambda g: (not g.startswith("all"), not g.startswith("side:"), not g.startswith("author:"), g)
    for g in sorted(groups, key=order):
        flag_by_id = groups[g]
        flagged, inside, info, covered = score(flag_by_id)
        # one generator per group, so a group's baseline does not move when another changes
        rng = random.Random(f"{seed}:{g}")
        bp, bc = [], []
        for _ in range(repeats):
            rand = {}
            for aid, v in flag_by_id.items():
                pool = content[aid]
                rand[aid] = set(rng.sample(pool, min(len(v), len(pool))))
            f2, i2, _, c2 = score(rand)
            bp.append(i2 / f2 if f2 else 0.0)
            bc.append(c2 / n_auth if n_auth else 0.0)
        prec = inside / flagged if flagged else 0.0
        print(f"{g:34} {flagged:6d} {prec:7.4f} {sum(bp) / repeats:7.4f} "
              f"{covered / n_auth:7.4f} {sum(bc) / repeats:7.4f} {100 * info / max(flagged, 1):6.1f}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
