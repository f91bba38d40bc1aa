"""Every CSV the project writes goes through `writer`, so that opening it in a
spreadsheet runs nothing.

A text cell that starts with = + - @ (or a tab or a line break) is read by Excel and
LibreOffice as a formula: a title `=HYPERLINK("http://…","点击")` would become a link
in the audit report. Such a cell is written with a single quote in front, as the
OWASP "CSV Injection" page recommends; a spreadsheet then shows it as text. The
check also looks past leading spaces.

Only text is escaped. Numbers the code writes (counts, days late) are ints and stay
numbers a spreadsheet can sum; they never come from what a user typed. Text that
looks like a negative number is escaped too ("-5" is shown as '-5): it is text, and
the report never writes a number as text.
"""

import csv

from ..text import clean_text

FORMULA_TRIGGERS = frozenset("=+-@\t\r\n")


def safe_cell(value):
    """A cell as written: text without control characters (review.text) and with a
    leading ' where a spreadsheet would read a formula; anything else as it is."""
    if not isinstance(value, str):
        return value
    value = clean_text(value)
    if value[:1] in FORMULA_TRIGGERS or value.lstrip()[:1] in FORMULA_TRIGGERS:
        return "'" + value
    return value


class _Writer:
    def __init__(self, out, **options):
        self._writer = csv.writer(out, **options)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(out, **options):
    """csv.writer(out, **options), with every cell passed through `safe_cell`."""
    return _Writer(out, **options)
