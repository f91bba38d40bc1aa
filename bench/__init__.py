"""Benchmarks, run by `make bench`. Each module is a script: `.venv/bin/python bench/<name>.py`.

Shared set-up (a throw-away file-backed SQLite database, query counting, peak
memory, a plain-sqlite3 floor connection) is in `bench.common`.
"""
