"""Parking kinds, states and actions, with their Chinese labels beside them."""

from __future__ import annotations

from enum import StrEnum


class LotKind(StrEnum):
    """The three sources of spaces the subdistrict built its answer from."""

    new_lot = "new_lot"  # 新建停车场 on cleared land
    time_shared = "time_shared"  # 错时停车: an institution's spaces lent for set hours
    marked = "marked"  # 施划车位: painted in an alley under an alley rule (单行单停)


LOT_KIND_LABELS: dict[LotKind, str] = {
    LotKind.new_lot: "新建停车场",
    LotKind.time_shared: "错时共享车位",
    LotKind.marked: "胡同施划车位",
}


class DayPattern(StrEnum):
    """On which days a window opens, on the working calendar (holidays and make-up working days count)."""

    every_day = "every_day"
    workdays = "workdays"
    rest_days = "rest_days"


DAY_PATTERN_LABELS: dict[DayPattern, str] = {
    DayPattern.every_day: "每天",
    DayPattern.workdays: "工作日",
    DayPattern.rest_days: "休息日和节假日",
}


class ApplicationStatus(StrEnum):
    waiting = "waiting"
    granted = "granted"
    withdrawn = "withdrawn"
    refused = "refused"


APPLICATION_STATUS_LABELS: dict[ApplicationStatus, str] = {
    ApplicationStatus.waiting: "排队中",
    ApplicationStatus.granted: "已获车位",
    ApplicationStatus.withdrawn: "已撤回",
    ApplicationStatus.refused: "未通过",
}


class ApplicationAction(StrEnum):
    grant = "grant"
    withdraw = "withdraw"
    refuse = "refuse"


APPLICATION_ACTION_LABELS: dict[ApplicationAction, str] = {
    ApplicationAction.grant: "分配车位",
    ApplicationAction.withdraw: "撤回申请",
    ApplicationAction.refuse: "驳回申请",
}


class PermitStatus(StrEnum):
    active = "active"
    revoked = "revoked"
    transferred = "transferred"


PERMIT_STATUS_LABELS: dict[PermitStatus, str] = {
    PermitStatus.active: "有效",
    PermitStatus.revoked: "已吊销",
    PermitStatus.transferred: "已转让",
}


class PermitAction(StrEnum):
    renew = "renew"
    revoke = "revoke"
    transfer = "transfer"


PERMIT_ACTION_LABELS: dict[PermitAction, str] = {
    PermitAction.renew: "续期",
    PermitAction.revoke: "吊销",
    PermitAction.transfer: "转让",
}


class VisitSource(StrEnum):
    """Who recorded a car's arrival and departure."""

    inspector = "inspector"  # 巡查员 on the phone page
    gate = "gate"  # the lot's barrier gate, from its export


VISIT_SOURCE_LABELS: dict[VisitSource, str] = {
    VisitSource.inspector: "巡查登记",
    VisitSource.gate: "道闸记录",
}


class ViolationKind(StrEnum):
    outside_window = "outside_window"  # parked on a permit outside its hours (or past its term)
    no_permit = "no_permit"  # parked with no permit in force for this lot (none, another lot's, or suspended)


VIOLATION_KIND_LABELS: dict[ViolationKind, str] = {
    ViolationKind.outside_window: "超出时段停放",
    ViolationKind.no_permit: "无有效停车证停放",
}
