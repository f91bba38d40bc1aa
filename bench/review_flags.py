"""The assisted review's detector against the labelled set the tests ship
(tests/data/review_flags_labelled.json, written before the detector): recall and
precision per kind.

    .venv/bin/python bench/review_flags.py [--set PATH] [--misses]

Pure Python: the repealed-law table is read from review/data/repealed_laws.csv (the
rows the data migration loads), the body's register from the labelled set. A flag
counts as found when its document, article, kind and key (the law, the 不得 touched,
the own document's 文号) are all expected. Targets (issue 19): recall ≥ 0.95 on
repealed law, ≥ 0.9 on power wording, precision ≥ 0.8 on every kind.
"""

import argparse
import csv
import datetime
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from review.flags import KINDS, Article, detect  # noqa: E402
from review.flags.consistency import OwnDocument  # noqa: E402
from review.flags.repealed import Law  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "review_flags_labelled.json"
LAWS = ROOT / "review" / "data" / "repealed_laws.csv"
TARGETS = {
    "repealed_law": {"recall": 0.95, "precision": 0.8},
    "power_wording": {"recall": 0.9, "precision": 0.8},
    "consistency": {"precision": 0.8},
}


def laws_from_csv(path=LAWS):
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            Law(
                name=row["name"],
                short_name=row["short_name"],
                repealed_on=datetime.date.fromisoformat(row["repealed_on"]),
                replaced_by=row["replaced_by"],
                source=row["source"],
            )
            for row in csv.DictReader(handle)
        ]


def _key(flag, laws):
    """A repealed law is named in the labels by its short name or its name."""
    if flag.kind != "repealed_law":
        return flag.key
    for law in laws:
        if flag.key in (law.name, law.short_name):
            return {law.name, law.short_name} - {""}
    return flag.key


def _items(document, laws, labelled):
    own = [OwnDocument(**row) for row in labelled["own_documents"]]
    articles = [
        Article(label=row["article"], text=row["text"], position=i)
        for i, row in enumerate(document["articles"])
    ]
    flags = detect(
        articles,
        as_of=datetime.date.fromisoformat(document["as_of"]),
        laws=laws,
        title=document["title"],
        own_documents=own,
        own_title=labelled["organisation"],
    )
    expected = set()
    for row in document["articles"]:
        for label in row["expect"]:
            kind, key = label.split(":", 1)
            expected.add((document["id"], row["article"], kind, key))
    for label in document["expect_document"]:
        kind, key = label.split(":", 1)
        expected.add((document["id"], "", kind, key))
    found = []
    for flag in flags:
        keys = _key(flag, laws)
        keys = keys if isinstance(keys, set) else {keys}
        hit = next(
            (e for e in expected if e[1] == flag.article and e[2] == flag.kind and e[3] in keys),
            None,
        )
        found.append((flag, hit))
    return expected, found


def score(path=LABELLED):
    """{kind: {"expected", "flagged", "correct", "recall", "precision"}} and the misses."""
    labelled = json.loads(Path(path).read_text(encoding="utf-8"))
    laws = laws_from_csv()
    counts = {kind: {"expected": 0, "flagged": 0, "correct": 0} for kind in KINDS}
    misses = []
    for document in labelled["documents"]:
        expected, found = _items(document, laws, labelled)
        hits = {hit for _flag, hit in found if hit is not None}
        for item in expected:
            counts[item[2]]["expected"] += 1
            if item not in hits:
                misses.append(("missed", item))
        for flag, hit in found:
            counts[flag.kind]["flagged"] += 1
            if hit is not None:
                counts[flag.kind]["correct"] += 1
            else:
                misses.append(
                    ("false", (document["id"], flag.article, flag.kind, flag.key, flag.text))
                )
    for row in counts.values():
        row["recall"] = row["correct"] / row["expected"] if row["expected"] else 1.0
        row["precision"] = row["correct"] / row["flagged"] if row["flagged"] else 1.0
    articles = sum(len(d["articles"]) for d in labelled["documents"])
    return counts, misses, articles


def meets_targets(counts):
    return all(
        counts[kind][measure] >= target
        for kind, targets in TARGETS.items()
        for measure, target in targets.items()
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default=str(LABELLED))
    parser.add_argument("--misses", action="store_true", help="print every miss")
    args = parser.parse_args()
    counts, misses, articles = score(args.set)
    print(f"labelled set: {args.set} ({articles} articles)")
    print(f"{'kind':<15}{'expected':>9}{'flagged':>9}{'correct':>9}{'recall':>9}{'precision':>11}")
    for kind, row in counts.items():
        print(
            f"{kind:<15}{row['expected']:>9}{row['flagged']:>9}{row['correct']:>9}"
            f"{row['recall']:>9.3f}{row['precision']:>11.3f}"
        )
    print("targets:", "met" if meets_targets(counts) else "NOT met", TARGETS)
    if args.misses:
        for what, item in misses:
            print(what, *item)


if __name__ == "__main__":
    main()
