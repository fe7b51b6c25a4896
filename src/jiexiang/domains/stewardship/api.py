"""Stewardship routes: the checklists alleys are inspected by (the version in force, and every version)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from jiexiang.core.http import ClockDep
from jiexiang.core.time import to_local
from jiexiang.domains.accounts.dependencies import require
from jiexiang.domains.accounts.permissions import Permission
from jiexiang.domains.stewardship import checklists
from jiexiang.domains.stewardship.enums import ChecklistKind
from jiexiang.domains.stewardship.presenters import checklist_read
from jiexiang.domains.stewardship.schemas import ChecklistRead

router = APIRouter(prefix="/api/stewardship", tags=["街巷环境"], dependencies=[require(Permission.stewardship_read)])


@router.get("/checklists/current", summary="现行检查表：准物业考核（5 类 31 项）或街巷长巡查（十有十无），含分类与细项")
def current_checklist(
    clock: ClockDep, kind: Annotated[ChecklistKind, Query(description="property 准物业 / patrol 街巷长")]
) -> ChecklistRead:
    return checklist_read(checklists.current(kind, to_local(clock.now()).date()))


@router.get("/checklists", summary="检查表的各个版本")
def list_checklists(kind: Annotated[ChecklistKind, Query()]) -> list[ChecklistRead]:
    return [checklist_read(c) for c in checklists.versions(kind)]
