"""The exports of case sources (the 12345 hotline, the command centre): their header spellings, the fields each
connector needs, and how a row becomes a report."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jiexiang.core.errors import InvalidInput
from jiexiang.core.geo import CoordinateSystem
from jiexiang.core.tables import BadRow, cell, match_columns, number_of, open_table, text_of
from jiexiang.core.time import parse_source_time
from jiexiang.domains.cases.enums import QuarantineReason, ReportSource
from jiexiang.ingest.incoming import IncomingReport, Rejected


@dataclass(frozen=True)
class ExportFormat:
    """One kind of export: what it is called (in errors), its source, every header spelling seen for each field,
    the fields it cannot do without, what its id and time columns are called (in quarantine reasons), and how the
    rest of a row becomes a report (`parse`, given the row and the coordinate system the file is in)."""

    kind: str
    source: ReportSource
    columns: Mapping[str, Sequence[str]]
    required: Sequence[str]
    id_label: str
    time_label: str
    parse: Callable[[Row, CoordinateSystem], IncomingReport | Rejected]

    def read(
        self, path: Path, *, crs: CoordinateSystem = CoordinateSystem.wgs84
    ) -> Iterator[IncomingReport | Rejected]:
        return read_export(path, self, crs=crs)


@dataclass(frozen=True)
class Row:
    """One identified row of an export (it has an id and a readable time), as a connector parses it."""

    source: ReportSource
    raw: dict[str, Any]  # the row as read, kept with a report and with a quarantined row
    cells: list[Any]
    columns: dict[str, int]
    row_number: int
    external_id: str
    received_at: datetime

    def text(self, field: str) -> str | None:
        return text_of(cell(self.cells, self.columns, field))

    def number(self, field: str) -> float | None:
        """The cell as a number; None when empty; ValueError when it is not one."""
        return number_of(cell(self.cells, self.columns, field))

    def time(self, field: str) -> datetime | None:
        """The cell as an aware UTC time; None when empty; ValueError naming the cell when it is not a time."""
        value = cell(self.cells, self.columns, field)
        if value is None:
            return None
        found = parse_source_time(value)
        if found is None:
            raise ValueError(f"“{value}”不是时间")
        return found

    def report(self, **fields: Any) -> IncomingReport:
        """The report this row makes: its identity and provenance from the row, the rest as the connector read it."""
        return IncomingReport(
            source=self.source,
            external_id=self.external_id,
            received_at=self.received_at,
            raw=self.raw,
            row_number=self.row_number,
            **fields,
        )

    def reject(self, reason: QuarantineReason, message: str) -> Rejected:
        return Rejected(self.source, reason, message, self.raw, self.external_id, self.row_number)


def read_export(path: Path, export: ExportFormat, *, crs: CoordinateSystem) -> Iterator[IncomingReport | Rejected]:
    """Each identified row of an export through its `parse`, after checking that its required columns are there. A row
    without an id or a readable time, or that cannot be read as the header says, is Rejected (quarantined with what
    it holds), and the rows after it are read on."""
    source = export.source
    with open_table(path) as (header, rows):
        columns = match_columns(header, export.columns)
        missing = [export.columns[f][0] for f in export.required if f not in columns]
        if missing:
            raise InvalidInput(f"不是{export.kind}：缺少列 {'、'.join(missing)}（现有列：{'、'.join(header)}）")
        for number, cells in rows:
            if isinstance(cells, BadRow):
                raw = {"第几行": number, "读到的字段": cells.cells}
                yield Rejected(source, QuarantineReason.malformed_row, cells.problem, raw, row_number=number)
                continue
            raw = {name: _jsonable(value) for name, value in zip(header, cells, strict=False) if name}
            external_id = text_of(cell(cells, columns, "id"))
            if external_id is None:
                yield Rejected(source, QuarantineReason.missing_id, f"{export.id_label}为空", raw, row_number=number)
                continue
            value = cell(cells, columns, "time")
            received_at = parse_source_time(value)
            if received_at is None:
                message = f"{export.time_label}“{value}”无法识别"
                yield Rejected(source, QuarantineReason.bad_time, message, raw, external_id, number)
                continue
            yield export.parse(Row(source, raw, cells, columns, number, external_id, received_at), crs)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
