"""Sorting a list on the server (issue 14 §5): the column asked for in `?sort=`
(`-column` for descending) must be one of the page's own whitelist, else the page's
default order applies; the database sorts, a page of rows is fetched.

Each column names the fields it orders by, ending with a unique one so that pages
never overlap; descending flips every field."""

from django.db.models import F
from django.db.models.expressions import OrderBy


def _flipped(field):
    if isinstance(field, OrderBy):
        flipped = field.copy()
        flipped.reverse_ordering()
        return flipped
    if isinstance(field, F):
        return field.desc()
    return field[1:] if field.startswith("-") else f"-{field}"


class Sorting:
    """The order of one list: `columns` maps a key to the fields it orders by;
    `default` is a key, prefixed with '-' for descending."""

    def __init__(self, request, columns, default):
        asked = request.GET.get("sort", "")
        if asked.lstrip("-") not in columns:
            asked = default
        self.columns = columns
        self.default = default
        self.key = asked.lstrip("-")
        self.descending = asked.startswith("-")
        self.value = asked
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("sort", None)
        self.base = query.urlencode()

    def order_by(self):
        fields = self.columns[self.key]
        return [_flipped(f) for f in fields] if self.descending else list(fields)

    def apply(self, queryset):
        return queryset.order_by(*self.order_by())

    def header(self, key):
        """(URL that sorts by `key`, the aria-sort value or '') for a column header:
        the current column flips, another starts ascending."""
        if key == self.key:
            value = key if self.descending else f"-{key}"
            state = "descending" if self.descending else "ascending"
        else:
            value, state = key, ""
        prefix = f"{self.base}&" if self.base else ""
        return f"?{prefix}sort={value}", state
