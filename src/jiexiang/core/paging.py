"""One way to page a list: `Paging` (what the client asked for), `paginate` (the count and the rows of one page
of a query) and `Page[T]` (what the client gets). A domain's page schema is `class XPage(Page[XRead])`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, Self, TypeVar

from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")


class Paging(BaseModel):
    page: int = 1  # from 1
    page_size: int = 500

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    page_size: int

    @classmethod
    def of(cls, items: Sequence[T], total: int, paging: Paging) -> Self:
        return cls(items=list(items), total=total, page=paging.page, page_size=paging.page_size)


def paginate(session: Session, query: Select[Any], paging: Paging) -> tuple[list[Any], int]:
    """The rows of the asked-for page of `query` (ordered as it is) and how many rows it has in all."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = list(session.scalars(query.offset(paging.offset).limit(paging.page_size)))
    return rows, total
