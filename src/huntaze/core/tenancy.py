"""Tenant scoping. The tenant is the Creator; every creator-owned model carries `creator`.

`Model.objects` refuses to read or write rows until the query is scoped with
`.for_creator(creator_id)`: an unscoped query raises `TenantScopeError` (fail closed).
A query across creators is spelled out on purpose with `Model.all_creators`.
"""

from __future__ import annotations

from typing import Any, Self

from django.db import models


class TenantScopeError(RuntimeError):
    """A creator-owned table was queried without a creator scope."""


class TenantQuerySet(models.QuerySet):
    _creator_scoped: bool = False

    def _clone(self) -> Self:
        clone = super()._clone()  # type: ignore[misc]
        clone._creator_scoped = self._creator_scoped
        return clone

    def for_creator(self, creator_id: int) -> Self:
        if not creator_id:
            raise TenantScopeError("for_creator() needs a creator id")
        queryset = self.filter(creator_id=creator_id)
        queryset._creator_scoped = True
        return queryset

    def _require_scope(self) -> None:
        if not self._creator_scoped:
            raise TenantScopeError(
                f"{self.model.__name__} queried without for_creator(); "
                f"use {self.model.__name__}.all_creators for a deliberate cross-creator query"
            )

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._require_scope()
        super()._fetch_all()

    def count(self) -> int:
        self._require_scope()
        return super().count()

    def exists(self) -> bool:
        self._require_scope()
        return super().exists()

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._require_scope()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        self._require_scope()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._require_scope()
        return super().delete()

    def iterator(self, chunk_size: int | None = None) -> Any:
        self._require_scope()
        return super().iterator(chunk_size=chunk_size)

    async def aiterator(self, chunk_size: int = 2000) -> Any:
        self._require_scope()
        async for row in super().aiterator(chunk_size=chunk_size):
            yield row

    # Combining querysets: a scoped queryset OR-ed with an unscoped one would read every
    # creator's rows; the result is scoped only when both sides are.
    def _combined_scope(self, other: Any, combined: Self) -> Self:
        combined = combined._chain()  # type: ignore[attr-defined]
        combined._creator_scoped = self._creator_scoped and getattr(other, "_creator_scoped", True)
        return combined

    def __or__(self, other: Any) -> Self:
        return self._combined_scope(other, super().__or__(other))

    def __xor__(self, other: Any) -> Self:
        return self._combined_scope(other, super().__xor__(other))

    def union(self, *other_qs: Any, all: bool = False) -> Self:
        combined = super().union(*other_qs, all=all)
        for other in other_qs:
            combined = self._combined_scope(other, combined)
        return combined


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):  # type: ignore[misc]
    pass


class CreatorOwnedModel(models.Model):
    """Base of every creator-owned table."""

    creator = models.ForeignKey("core.Creator", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=False)
    updated_at = models.DateTimeField(auto_now=True)

    # The first manager is Django's default (used by related managers, validation, cascades);
    # code reads through `objects`, which is scoped.
    all_creators = models.Manager()
    objects = TenantManager()

    class Meta:
        abstract = True


def creator_owned_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, CreatorOwnedModel)]
