"""Django's SQLite backend, with the placeholder conversion remembered.

Django writes SQL with `%s` placeholders and the SQLite backend rewrites each
statement to `?` with a regular expression on every execution. The same few dozen
statements run on every action, so the rewrite is kept per statement text: on the
lifecycle benchmark it was 7% of the time of an action. Everything else is Django's
own backend, unchanged.
"""

from django.db.backends.sqlite3 import base

# Statements seen, up to a bound: ORM queries with IN lists of every length must not
# grow it without end. When full it starts again, which costs one rewrite per statement.
_LIMIT = 4096
_converted = {}


class CursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query, *, param_names=None):
        if param_names is not None:
            return super().convert_query(query, param_names=param_names)
        converted = _converted.get(query)
        if converted is None:
            converted = super().convert_query(query)
            if len(_converted) >= _LIMIT:
                _converted.clear()
            _converted[query] = converted
        return converted


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=CursorWrapper)
