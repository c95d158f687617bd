"""Two API schemas with one name would share one OpenAPI component: the document would then
describe one route's body with another's fields."""

from __future__ import annotations

from collections import Counter

from ninja import Schema

import huntaze.config.api  # noqa: F401  (imports every router and its schemas)


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


def test_api_schema_names_are_unique():
    ours = [c for c in _subclasses(Schema) if c.__module__.startswith("huntaze.")]
    counts = Counter(c.__name__ for c in ours)
    assert ours
    assert [name for name, count in counts.items() if count > 1] == []
