"""The filing audit: 有件必备、有备必审、有错必纠, counted (domain-rules §7).

`compute()` reads the documents published in a period by one body, by an
authority and the bodies filing with it, or by all bodies, and returns one
JSON-ready dict: counts and rates per body and in total, and the list of
violations. The JSON, CSV, PDF and DOCX outputs are all rendered from that dict.
The formulas and the violation kinds are documented in docs/filing-audit.md.

- `labels`: what is counted, the rates, the violation kinds, with their labels;
- `figures`: `compute()`, the reading and the counting, step by step;
- `render`: `to_json`, `to_csv` and `compose` (the blocks of the PDF and DOCX).
"""

from .figures import compute
from .labels import (
    BASE_COUNTS,
    COUNT_LABELS,
    COUNTS,
    DECISION_COUNTS,
    KIND_ORDER,
    MATERIAL_LABELS,
    RATE_LABELS,
    RATES,
    VIOLATION_KINDS,
    rates,
)
from .render import compose, to_csv, to_json

__all__ = [
    "BASE_COUNTS",
    "COUNTS",
    "DECISION_COUNTS",
    "COUNT_LABELS",
    "KIND_ORDER",
    "MATERIAL_LABELS",
    "RATES",
    "RATE_LABELS",
    "VIOLATION_KINDS",
    "compose",
    "compute",
    "rates",
    "to_csv",
    "to_json",
]
