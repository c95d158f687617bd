"""PostgreSQL's binary COPY format, built with numpy a chunk of rows at a time.

No per-row Python and nothing for PostgreSQL to parse. Each field of a chunk is a length per
row (-1: NULL) and a typed value per row (big-endian numbers, or fixed-size byte strings for
text). Rows whose fields all have the same lengths share one layout: such a group is one
numpy structured array (a record per row, one struct field per COPY field), filled field by
field with typed, vectorised copies, and its memory is the COPY data.

Format: https://www.postgresql.org/docs/current/sql-copy.html (Binary Format).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
TRAILER = b"\xff\xff"
PG_EPOCH_S = 946_684_800  # 2000-01-01T00:00:00Z, where PostgreSQL's timestamps count from

_NUMERIC = {
    "bigint": ">i8",
    "integer": ">i4",
    "smallint": ">i2",
    "double precision": ">f8",
    "real": ">f4",
}
_TEXT_PREFIXES = ("character varying", "text", "character(", "jsonb")


def is_fixed(pg_type: str) -> bool:
    """A type of fixed binary width: numbers, booleans, timestamps."""
    return pg_type in _NUMERIC or pg_type in ("boolean", "timestamp with time zone")


def _typed(values: np.ndarray, pg_type: str) -> np.ndarray:
    if pg_type == "timestamp with time zone":
        return ((values.astype(np.int64) - PG_EPOCH_S) * 1_000_000).astype(">i8")
    if pg_type == "boolean":
        return values.astype(np.uint8)
    if pg_type in _NUMERIC:
        return values.astype(_NUMERIC[pg_type])
    raise TypeError(f"no fixed-width binary encoder for {pg_type}")


def encode_scalar(value: Any, pg_type: str) -> bytes | None:
    """One value in binary format; None for NULL."""
    if value is None:
        return None
    if is_fixed(pg_type):
        return _typed(np.array([value]), pg_type).tobytes()
    if pg_type == "jsonb":
        return b"\x01" + str(value).encode()  # jsonb's binary format: version 1, then text
    if pg_type.startswith(_TEXT_PREFIXES):
        return str(value).encode()
    raise TypeError(f"no binary encoder for {pg_type}")


@dataclass(slots=True)
class Field:
    """One column of a chunk: each row's byte length (-1: NULL) and value. `values` holds a
    row each, or one row for all (a constant); None when every row is NULL."""

    lengths: np.ndarray
    values: np.ndarray | None


def fixed_field(values: np.ndarray, pg_type: str, null: np.ndarray | None) -> Field:
    typed = _typed(values, pg_type)
    lengths = np.full(typed.shape[0], typed.dtype.itemsize, dtype=np.int32)
    if null is not None:
        lengths[null] = -1
    return Field(lengths=lengths, values=typed)


def constant_field(value: Any, pg_type: str, count: int) -> Field:
    encoded = encode_scalar(value, pg_type)
    if encoded is None:
        return Field(lengths=np.full(count, -1, dtype=np.int32), values=None)
    return Field(
        lengths=np.full(count, len(encoded), dtype=np.int32),
        values=np.array([encoded], dtype=f"S{max(len(encoded), 1)}"),
    )


@dataclass(slots=True)
class EncodedTable:
    """A lookup table encoded once: each value's bytes (a fixed-size byte string array) and
    length (-1: NULL)."""

    values: np.ndarray
    lengths: np.ndarray

    @classmethod
    def of(cls, values: list[Any], pg_type: str) -> EncodedTable:
        encoded = [encode_scalar(value, pg_type) for value in values]
        lengths = np.array([-1 if e is None else len(e) for e in encoded], dtype=np.int32)
        width = max(1, int(lengths.max(initial=0)))
        return cls(values=np.array([e or b"" for e in encoded], dtype=f"S{width}"), lengths=lengths)

    def field(self, index: np.ndarray, null: np.ndarray | None) -> Field:
        lengths = self.lengths[index]
        if null is not None:
            lengths = np.where(null, -1, lengths).astype(np.int32)
        return Field(lengths=lengths, values=self.values[index])


def _group_rows(fields: list[Field], count: int) -> list[np.ndarray]:
    """The rows, split into groups where each field has one length for every row."""
    key = np.zeros(count, dtype=np.int64)
    for field in fields:
        lengths = field.lengths
        if (lengths != lengths[0]).any():
            low = int(lengths.min())
            key = key * (int(lengths.max()) - low + 1) + (lengths - low)
    _keys, group = np.unique(key, return_inverse=True)
    # Few groups: a stable sort of small integers is a radix sort.
    order = np.argsort(group.astype(np.int16 if group.max() < 2**15 else np.int64), kind="stable")
    bounds = np.flatnonzero(np.diff(group[order])) + 1
    return np.split(order, bounds)  # type: ignore[no-any-return]


def assemble(fields: list[Field], count: int) -> bytes:
    """The chunk's rows in binary COPY format (without signature nor trailer). Rows come out
    grouped by layout, not in their given order: COPY does not mind, the ids are in the rows."""
    if count == 0:
        return b""
    pieces = []
    for rows in _group_rows(fields, count):
        first = int(rows[0])
        names, formats, offsets = ["count"], [">i2"], [0]
        offset = 2
        layout = []
        for number, field in enumerate(fields):
            length = int(field.lengths[first])
            names.append(f"length{number}")
            formats.append(">i4")
            offsets.append(offset)
            offset += 4
            if length > 0:
                assert field.values is not None
                kind = field.values.dtype
                names.append(f"value{number}")
                formats.append(kind.str if kind.kind != "S" else f"S{length}")
                offsets.append(offset)
                offset += length
            layout.append(length)
        records = np.empty(
            rows.shape[0],
            dtype=np.dtype(
                {"names": names, "formats": formats, "offsets": offsets, "itemsize": offset}
            ),
        )
        records["count"] = len(fields)
        for number, (field, length) in enumerate(zip(fields, layout, strict=True)):
            records[f"length{number}"] = length
            if length > 0:
                assert field.values is not None
                values = field.values
                records[f"value{number}"] = values[0] if values.shape[0] == 1 else values[rows]
        pieces.append(records.tobytes())
    return b"".join(pieces)
