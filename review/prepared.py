"""Querysets compiled once and run many times: the reads every action repeats.

Django builds and compiles a queryset's SQL again on every run. For the handful of
reads each action makes — the locked document, its organisation and settings, its
latest version, review or filing — that cost about 0.35 ms a read on the reference
machine, eight times the statement itself, and it was most of an action's time
(docs/performance.md, "lifecycle"). A `Prepared` compiles its queryset the first
time it runs on a database, notes where its arguments sit among the parameters, and
from then on only executes the same SQL and builds the same model instances, with
the same converters, that the queryset would have.

Only what can be replayed exactly is accepted: a queryset of model instances (named
select_related allowed; no annotations, values() or deferred fields), or of
values_list() rows for `rows()`, whose arguments are ids (int, the default) or text
(`args=(str, ...)`). Anything else raises at the first run, which every test
exercises. `insert()` and `update()` below do the same for the rows an action writes.

    LATEST_REVIEW = Prepared(
        lambda document_id: LegalityReview.objects.filter(document_id=document_id)
        .order_by("-started_at", "-pk")
    )
    review = LATEST_REVIEW.first(document.pk)
"""

import threading

from django.db import DatabaseError, connections, router
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators
from django.db.transaction import TransactionManagementError
from django.utils.functional import cached_property

# Arguments are compiled as these values and found again among the parameters: no
# id is ever this negative, no text holds a NUL.
_SENTINEL = -(2**62)
_TEXT_SENTINEL = "\x00guifan-argument-{}\x00"


class Prepared:
    def __init__(self, build, args=None):
        """`args`: the type of each argument of `build`, int (ids, the default) or str."""
        self.build = build
        self.arity = build.__code__.co_argcount
        self.types = tuple(args) if args is not None else (int,) * self.arity
        if len(self.types) != self.arity or not set(self.types) <= {int, str}:
            raise ValueError("a Prepared query takes int or str arguments, one type for each")
        self._compiled = {}

    # --- running --------------------------------------------------------------

    def first(self, *args):
        """The first instance, or None (as QuerySet.first(); the queryset's order counts)."""
        rows = self._run("first", args)
        return rows[0] if rows else None

    def get(self, *args):
        """The one instance (as QuerySet.get()): DoesNotExist when there is none."""
        rows = self._run("first", args)
        if not rows:
            raise self.model.DoesNotExist(f"{self.model.__name__} matching query does not exist.")
        return rows[0]

    def all(self, *args):
        return self._run("all", args)

    def exists(self, *args):
        return bool(self._run("exists", args))

    def rows(self, *args):
        """The rows of a values_list() queryset, as tuples."""
        return self._run("rows", args)

    # --- compiling and replaying ----------------------------------------------

    def _run(self, shape, args):
        if len(args) != self.arity:
            raise TypeError(f"expected {self.arity} arguments, got {len(args)}")
        model = self.model
        connection = connections[router.db_for_read(model)]
        key = (connection.alias, shape)
        plan = self._compiled.get(key)
        if plan is None:
            plan = self._compiled[key] = self._compile(connection, shape)
        sql, params, positions, converters, attnames, compiler, span, populators = plan
        if (
            compiler is not None
            and compiler.query.select_for_update
            and connection.get_autocommit()
        ):
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        params = list(params)
        for index, kind, value in zip(positions, self.types, args, strict=True):
            params[index] = kind(value)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if shape == "exists":
            return rows
        if converters:
            rows = compiler.apply_converters(rows, converters)
        if shape == "rows":
            return [tuple(row) for row in rows]
        start, end = span
        found = []
        for row in rows:
            instance = model.from_db(connection.alias, attnames, row[start:end])
            for populator in populators:  # select_related: as ModelIterable does
                populator.populate(row, instance)
            found.append(instance)
        return found

    @cached_property
    def model(self):
        return self.build(*self._sentinels()).model

    def _sentinels(self):
        return [
            _SENTINEL - i if kind is int else _TEXT_SENTINEL.format(i)
            for i, kind in enumerate(self.types)
        ]

    def _compile(self, connection, shape):
        sentinels = self._sentinels()
        queryset = self.build(*sentinels)
        query = queryset.query
        plain = queryset._iterable_class is ModelIterable
        if (
            query.select_related is True
            or query.annotations
            or query.deferred_loading[0]
            or queryset._prefetch_related_lookups
            or (plain and query.values_select)
            or (not plain and queryset._iterable_class is not ValuesListIterable)
            or (shape == "rows") == plain
        ):
            raise ValueError(
                "Prepared takes a plain queryset of one model, or a values_list() one for rows()"
            )
        if shape == "first":
            queryset = (queryset if queryset.ordered else queryset.order_by("pk"))[:1]
            query = queryset.query
        elif shape == "exists":
            query = query.exists()
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        positions = []
        for sentinel in sentinels:
            found = [i for i, param in enumerate(params) if param == sentinel]
            if len(found) != 1:
                raise ValueError("each argument of a Prepared query must be used exactly once")
            positions.append(found[0])
        if shape == "exists":
            return sql, tuple(params), positions, None, None, None, None, None
        select = compiler.select[: compiler.col_count]
        converters = compiler.get_converters([expression for expression, _sql, _alias in select])
        if shape == "rows":
            return sql, tuple(params), positions, converters, None, compiler, None, None
        fields = compiler.klass_info["select_fields"]
        span = (fields[0], fields[-1] + 1)
        attnames = [
            expression.target.attname for expression, _sql, _alias in select[span[0] : span[1]]
        ]
        populators = get_related_populators(compiler.klass_info, compiler.select, connection.alias)
        return sql, tuple(params), positions, converters, attnames, compiler, span, populators


# --- writes ------------------------------------------------------------------------
#
# The same reasoning for the rows an action writes: Model.save() builds and compiles
# its INSERT or UPDATE on every call. These write one row with a statement written
# once per model, database and set of columns, with the values prepared by the fields
# themselves (pre_save: auto_now, files; get_db_prep_save: dates, JSON), as save()
# prepares them. They send no pre_save/post_save signals: nothing in guifan listens
# to them (tests/test_prepared.py checks that no receiver is connected).


class NotWritten(DatabaseError):
    """An UPDATE matched no row: the row is gone, or its condition no longer holds."""


_WRITES = {}
# Rows written by insert() and update() in this thread (an action's transaction runs
# in one thread): a memo of reads taken at one count is stale at the next.
_written = threading.local()


def writes():
    return getattr(_written, "count", 0)


def remembered(memo, key, read):
    """`read()` once per `key` until the next compiled write: `memo` is a dict an
    instance keeps for its reads, emptied when writes() has moved since."""
    if memo.get(None) != writes():
        memo.clear()
        memo[None] = writes()
    if key not in memo:
        memo[key] = read()
    return memo[key]


def _count_write():
    _written.count = writes() + 1


def insert(instance):
    """INSERT a new `instance` (its primary key not yet set) and give it its key."""
    model = type(instance)
    meta = model._meta
    if instance.pk is not None or not meta.auto_field:
        raise ValueError("insert() takes a new instance of a model with an automatic key")
    connection = connections[router.db_for_write(model)]
    fields = [field for field in meta.concrete_fields if field is not meta.auto_field]
    key = ("insert", model, connection.alias)
    sql = _WRITES.get(key)
    if sql is None:
        qn = connection.ops.quote_name
        returning = (
            f" RETURNING {qn(meta.pk.column)}"
            if connection.features.can_return_columns_from_insert
            else ""
        )
        sql = _WRITES[key] = (
            f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(field.column) for field in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}){returning}"
        )
    values = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        pk = (
            cursor.fetchone()[0]
            if connection.features.can_return_columns_from_insert
            else cursor.lastrowid
        )
    _count_write()
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = connection.alias
    return instance


def update(instance, *names, expect=None, keeps_reads=False):
    """UPDATE the named fields of a stored `instance` (all of them when none are named).
    `expect` adds conditions {field name: value the row must still hold}. Raises
    NotWritten when no row matched. `keeps_reads`: the row is not one that remembered
    reads are of (a document's own columns), so writes() does not move."""
    model = type(instance)
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    if names:
        fields = [meta.get_field(name) for name in names]
    else:
        fields = [field for field in meta.concrete_fields if not field.primary_key]
    conditions = [meta.get_field(name) for name in (expect or {})]
    key = (
        "update",
        model,
        connection.alias,
        tuple(f.column for f in fields),
        tuple(f.column for f in conditions),
    )
    sql = _WRITES.get(key)
    if sql is None:
        qn = connection.ops.quote_name
        where = " AND ".join(f"{qn(field.column)} = %s" for field in [meta.pk, *conditions])
        sql = _WRITES[key] = (
            f"UPDATE {qn(meta.db_table)} SET {', '.join(f'{qn(field.column)} = %s' for field in fields)} WHERE {where}"
        )
    values = [
        field.get_db_prep_save(field.pre_save(instance, False), connection) for field in fields
    ]
    where_values = [meta.pk.get_db_prep_value(instance.pk, connection)] + [
        field.get_db_prep_value(value, connection)
        for field, value in zip(conditions, (expect or {}).values(), strict=True)
    ]
    if not keeps_reads:
        _count_write()
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, *where_values])
        written = cursor.rowcount
    if written != 1:
        raise NotWritten(f"{meta.label} {instance.pk}: no row matched the update")
    return written
