"""Load a bureau's register (台账) of past documents, so their history can be
audited from day one (`manage.py import_register`, docs/import.md).

All or nothing: every row is checked first and every error is reported with its
spreadsheet row (the header is row 1); if there is any, nothing is written.
Otherwise the whole register is written in one transaction: per row a document
(imported, classified normative, its state derived from the register), a version,
its registration, publication, filing, filing review and correction as the
register records them, and one "import" audit event.

The importer records history as it was. It checks that the register is
consistent (numbers in the GB/T 9704 format, dates in order, no number used
twice) but does not re-apply today's gates to the past: a filing made late, or
registered with incomplete materials, is imported as such, so that the audit
shows it.

The rooms, in the order a register goes through them:
- `columns`: the columns, their headers, and the parsers of a cell's value;
- `reading`: the .csv or .xlsx file as a table of cells;
- `checking`: the header and every row, column group by column group (`check`);
- `rows`: what a checked row says (`Row`) and the state it derives;
- `writing`: the one transaction that writes it (`import_register`).
"""

from .checking import Plan, check
from .columns import (
    COLUMNS,
    Column,
    parse_date,
    parse_document_number,
    parse_registration_number,
    parse_yes_no,
)
from .reading import RegisterUnreadable, read_table
from .rows import RegisterInvalid, Row, RowError, derive_state
from .writing import Imported, Result, import_register

__all__ = [
    "COLUMNS",
    "Column",
    "Imported",
    "Plan",
    "RegisterInvalid",
    "RegisterUnreadable",
    "Result",
    "Row",
    "RowError",
    "check",
    "derive_state",
    "import_register",
    "parse_date",
    "parse_document_number",
    "parse_registration_number",
    "parse_yes_no",
    "read_table",
]
