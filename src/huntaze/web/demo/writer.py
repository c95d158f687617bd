"""Bulk writes for the demo data: PostgreSQL binary COPY (psycopg 3) or SQLite executemany.

Columns come as numpy arrays and are encoded one chunk at a time (binary.py for PostgreSQL:
vectorised, no per-row Python), so millions of rows stream to the database without ever being
Python objects all at once. Ids are given explicitly (the generator links rows by id before
writing them); sequences are moved past them at the end.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.backends.base.base import BaseDatabaseWrapper

from huntaze.web.demo import binary

_COPY_CHUNK_ROWS = 250_000
_SQLITE_CHUNK_ROWS = 20_000
# Tables getting more rows than this lose their secondary indexes and foreign keys during
# the load (PostgreSQL only) and get them back, rebuilt in one pass, right after.
BULK_ROWS_THRESHOLD = 300_000


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a bulk write.

    kind: "int" (values: int array), "ts" (values: epoch seconds), "bool", "text" (values:
    object array of str), "lookup" (values: object array of str or int, index: int array) or
    "const" (value: one Python value for every row). `null` marks NULL rows.
    """

    kind: str
    values: Any = None
    index: np.ndarray | None = None
    null: np.ndarray | None = None

    @staticmethod
    def int(values: np.ndarray, null: np.ndarray | None = None) -> Column:
        return Column("int", np.asarray(values, dtype=np.int64), null=null)

    @staticmethod
    def ts(values: np.ndarray, null: np.ndarray | None = None) -> Column:
        return Column("ts", np.asarray(values, dtype=np.int64), null=null)

    @staticmethod
    def bool(values: np.ndarray) -> Column:
        return Column("bool", np.asarray(values, dtype=bool))

    @staticmethod
    def text(values: np.ndarray | list[str]) -> Column:
        return Column("text", np.asarray(values, dtype=object))

    @staticmethod
    def lookup(
        table: Sequence[Any] | np.ndarray, index: np.ndarray, null: np.ndarray | None = None
    ) -> Column:
        return Column("lookup", np.asarray(table, dtype=object), index=np.asarray(index), null=null)

    @staticmethod
    def const(value: Any) -> Column:
        return Column("const", value)


class _SqliteTimes:
    """Epoch seconds to SQLite's datetime text (what Django stores: 'YYYY-MM-DD HH:MM:SS',
    UTC), through a day table and a time-of-day table."""

    def __init__(self) -> None:
        self._time_of_day = np.array(
            [f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)],
            dtype=object,
        )

    def render(self, seconds: np.ndarray) -> np.ndarray:
        days = seconds // 86400
        first, last = int(days.min()), int(days.max())
        table = np.array(
            [str(np.datetime64(day, "D")) + " " for day in range(first, last + 1)], dtype=object
        )
        return table[days - first] + self._time_of_day[seconds - days * 86400]  # type: ignore[no-any-return]


class BulkWriter:
    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self._times = _SqliteTimes()
        self._tables: set[str] = set()
        self._analyzed: set[str] = set()
        self._column_types: dict[str, dict[str, str]] = {}
        self.rows_written: dict[str, int] = {}
        self.timings_s: dict[str, float] = {}

    # Ids -------------------------------------------------------------------------------------

    def next_ids(self, table: str, count: int) -> np.ndarray:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
            start = int(cursor.fetchone()[0]) + 1
        return np.arange(start, start + count, dtype=np.int64)

    def _bump_sequences(self) -> None:
        if not self.postgres:
            return  # SQLite's AUTOINCREMENT follows explicit ids on its own.
        with self.connection.cursor() as cursor:
            for table in sorted(self._tables):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # noqa: S608
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))",
                    [table],
                )

    # Writing ---------------------------------------------------------------------------------

    def write(self, table: str, columns: dict[str, Column], count: int) -> None:
        if count == 0:
            return
        self._tables.add(table)
        self.rows_written[table] = self.rows_written.get(table, 0) + count
        started = time.perf_counter()
        if self.postgres:
            self._copy(table, columns, count)
        else:
            self._executemany(table, columns, count)
        self._time(f"write {table}", started)

    @staticmethod
    def _chunks(count: int, size: int) -> Iterator[tuple[int, int]]:
        for start in range(0, count, size):
            yield start, min(count, start + size)

    # PostgreSQL: binary COPY ------------------------------------------------------------------

    def _types_of(self, table: str) -> dict[str, str]:
        if table not in self._column_types:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                    "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                    [table],
                )
                self._column_types[table] = dict(cursor.fetchall())
        return self._column_types[table]

    def _copy(self, table: str, columns: dict[str, Column], count: int) -> None:
        types = self._types_of(table)
        missing = sorted(set(columns) - set(types))
        if missing:
            raise ValueError(f"{table} has no column {', '.join(missing)}")
        names = list(columns)
        statement = f"COPY {table} ({', '.join(names)}) FROM STDIN (FORMAT BINARY)"
        with self.connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(statement) as copy:
                for block in self.binary_stream(names, columns, [types[n] for n in names], count):
                    copy.write(block)

    def binary_stream(
        self, names: list[str], columns: dict[str, Column], pg_types: list[str], count: int
    ) -> Iterator[bytes]:
        """The COPY data, signature to trailer, a chunk of rows per block."""
        prepared: dict[int, Any] = {}
        yield binary.SIGNATURE
        for start, stop in self._chunks(count, _COPY_CHUNK_ROWS):
            done: dict[int, binary.Field] = {}
            fields = []
            for name, pg_type in zip(names, pg_types, strict=True):
                column = columns[name]
                if id(column) not in done:
                    done[id(column)] = self._field(column, pg_type, start, stop, prepared)
                fields.append(done[id(column)])
            yield binary.assemble(fields, stop - start)
        yield binary.TRAILER

    @staticmethod
    def _field(
        column: Column,
        pg_type: str,
        start: int,
        stop: int,
        prepared: dict[int, Any],
    ) -> binary.Field:
        null = column.null[start:stop] if column.null is not None else None
        if column.kind == "const":
            return binary.constant_field(column.values, pg_type, stop - start)
        if column.kind in ("int", "ts", "bool"):
            return binary.fixed_field(column.values[start:stop], pg_type, null)
        if column.kind == "text":
            values = column.values[start:stop].tolist()
            encoded = binary.EncodedTable.of(values, pg_type)
            return encoded.field(np.arange(stop - start), null)
        if column.kind == "lookup":
            assert column.index is not None
            key = id(column)
            if key not in prepared:
                values = column.values.tolist()
                if binary.is_fixed(pg_type) and None not in values:
                    prepared[key] = np.array(values)
                else:
                    prepared[key] = binary.EncodedTable.of(values, pg_type)
            table = prepared[key]
            if isinstance(table, binary.EncodedTable):
                return table.field(column.index[start:stop], null)
            return binary.fixed_field(table[column.index[start:stop]], pg_type, null)
        raise ValueError(f"unknown column kind {column.kind!r}")

    # SQLite: executemany ----------------------------------------------------------------------

    def _render(self, column: Column, start: int, stop: int) -> list[Any]:
        count = stop - start
        if column.kind == "const":
            return [column.values] * count
        if column.kind in ("int", "bool"):
            rendered = column.values[start:stop].astype(np.int64).astype(object)
        elif column.kind == "ts":
            rendered = self._times.render(column.values[start:stop])
        elif column.kind == "text":
            rendered = column.values[start:stop]
        elif column.kind == "lookup":
            assert column.index is not None
            rendered = column.values[column.index[start:stop]]
        else:
            raise ValueError(f"unknown column kind {column.kind!r}")
        null = column.null[start:stop] if column.null is not None else None
        if null is not None and null.any():
            rendered = rendered.copy()
            rendered[null] = None
        return rendered.tolist()  # type: ignore[no-any-return]

    def _executemany(self, table: str, columns: dict[str, Column], count: int) -> None:
        names = list(columns)
        placeholders = ", ".join(["%s"] * len(names))
        statement = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({placeholders})"  # noqa: S608
        with self.connection.cursor() as cursor:
            for start, stop in self._chunks(count, _SQLITE_CHUNK_ROWS):
                done: dict[int, list[Any]] = {}
                rendered = []
                for column in columns.values():
                    if id(column) not in done:
                        done[id(column)] = self._render(column, start, stop)
                    rendered.append(done[id(column)])
                cursor.executemany(statement, list(zip(*rendered, strict=True)))

    # Large loads: secondary indexes and foreign keys off during the COPY ----------------------

    @contextmanager
    def bulk_load(self, tables: list[str], *, expected_rows: int) -> Iterator[None]:
        """On PostgreSQL, for big loads: drop the tables' foreign keys and the indexes that
        back no constraint, load, then recreate them from their exact catalog definitions
        (same names, same SQL), in the same transaction. The tables stay locked for writers
        until it commits; a failure rolls the DDL back with the rows."""
        if not self.postgres or expected_rows < BULK_ROWS_THRESHOLD:
            yield
            return
        saved: list[tuple[str, list[tuple[str, str]], list[tuple[str, str]]]] = []
        with self.connection.cursor() as cursor:
            # DDL on a table waits for no queued deferred foreign-key check: run them now, then
            # back to deferred (Django makes every foreign key DEFERRABLE INITIALLY DEFERRED).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            cursor.execute("SET LOCAL work_mem = '128MB'")
            for table in tables:
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                    [table],
                )
                foreign_keys = [(name, definition) for name, definition in cursor.fetchall()]
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes "
                    "WHERE schemaname = current_schema() AND tablename = %s "
                    "AND indexname NOT IN ("
                    "  SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass"
                    ") ORDER BY indexname",
                    [table, table],
                )
                indexes = [(name, definition) for name, definition in cursor.fetchall()]
                for name, _definition in foreign_keys:
                    cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                for name, _definition in indexes:
                    cursor.execute(f'DROP INDEX "{name}"')
                saved.append((table, foreign_keys, indexes))
        yield
        with self.connection.cursor() as cursor:
            # Statistics first: the foreign-key checks below are joins the planner must size.
            for table, _foreign_keys, _indexes in saved:
                started = time.perf_counter()
                cursor.execute(f"ANALYZE {table}")
                self._analyzed.add(table)
                self._time(f"analyze {table}", started)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table, foreign_keys, indexes in saved:
                for name, definition in indexes:
                    started = time.perf_counter()
                    cursor.execute(definition)
                    self._time(f"index {table}.{name}", started)
                for name, definition in foreign_keys:
                    started = time.perf_counter()
                    cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
                    self._time(f"fk {table}.{name}", started)

    def _time(self, name: str, started: float) -> None:
        self.timings_s[name] = self.timings_s.get(name, 0.0) + time.perf_counter() - started

    def finish(self) -> None:
        self._bump_sequences()

    def analyze(self) -> None:
        if not self.postgres:
            return
        with self.connection.cursor() as cursor:
            for table in sorted(self._tables - self._analyzed):
                cursor.execute(f"ANALYZE {table}")
