"""Cursor pagination: a page costs the same wherever it is (an index walk from the
cursor, no OFFSET over the rows before it) and a row added meanwhile never shifts one
into the next page twice."""

from rest_framework.pagination import CursorPagination


class ById(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ByIdAscending(ById):
    ordering = "id"


class BySeq(ById):
    ordering = "seq"


class RegisterOrder(ById):
    """The register's order (in progress first, then by 成文日期), as the desk lists
    it; the cursor holds the sort date and an offset among rows sharing it."""

    ordering = ("-register_sort_date", "-created_at", "-id")
