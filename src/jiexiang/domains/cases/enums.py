"""Report sources and case stages, with Chinese labels beside them."""

from __future__ import annotations

from enum import StrEnum


class ReportSource(StrEnum):
    hotline = "hotline"
    command_centre = "command_centre"
    patrol = "patrol"
    snap = "snap"
    open311 = "open311"


SOURCE_LABELS: dict[ReportSource, str] = {
    ReportSource.hotline: "12345热线",
    ReportSource.command_centre: "数字城管",
    ReportSource.patrol: "网格巡查",
    ReportSource.snap: "随手拍",
    ReportSource.open311: "Open311",
}


class CaseStatus(StrEnum):
    """The 数字城管 stages; only `workflow.transition` moves a case between them."""

    reported = "reported"
    registered = "registered"
    dispatched = "dispatched"
    handling = "handling"
    verifying = "verifying"
    closed = "closed"
    rejected = "rejected"


STATUS_LABELS: dict[CaseStatus, str] = {
    CaseStatus.reported: "采集",
    CaseStatus.registered: "立案",
    CaseStatus.dispatched: "派遣",
    CaseStatus.handling: "处置",
    CaseStatus.verifying: "核查",
    CaseStatus.closed: "结案",
    CaseStatus.rejected: "不予立案",
}

# "Open" is defined here once: everything not finished.
FINISHED = frozenset({CaseStatus.closed, CaseStatus.rejected})
OPEN_STATUSES = frozenset(CaseStatus) - FINISHED


class CategoryMethod(StrEnum):
    """How a report's category was decided."""

    source = "source"  # the source's own category, mapped through the per-source table
    model = "model"  # the trained text classifier
    rules = "rules"  # keyword rules
    none = "none"  # nothing could tell: filed as 待分类 until an operator chooses


class ReviewReason(StrEnum):
    """Why a stored report waits for a person (the review queue)."""

    location = "location"  # the address could not be placed on an alley
    category = "category"  # neither the source's label nor the text says what it is: an operator chooses


class QuarantineReason(StrEnum):
    missing_id = "missing_id"
    bad_time = "bad_time"
    empty_text = "empty_text"
    unknown_category = "unknown_category"
    outside_area = "outside_area"
    bad_coordinates = "bad_coordinates"
    duplicate_in_file = "duplicate_in_file"
    malformed_row = "malformed_row"  # the row cannot be read as the header says (quoting, field count)


QUARANTINE_LABELS: dict[QuarantineReason, str] = {
    QuarantineReason.missing_id: "缺少编号",
    QuarantineReason.bad_time: "时间无效",
    QuarantineReason.empty_text: "内容为空",
    QuarantineReason.unknown_category: "问题分类无法识别",
    QuarantineReason.outside_area: "坐标不在辖区内",
    QuarantineReason.bad_coordinates: "坐标无效",
    QuarantineReason.duplicate_in_file: "文件内编号重复",
    QuarantineReason.malformed_row: "行格式有误",
}


class Action(StrEnum):
    """What a person does to a case (the workflow's transitions)."""

    register = "register"
    reject = "reject"
    dispatch = "dispatch"
    accept = "accept"
    return_ = "return"
    extend = "extend"
    feedback = "feedback"
    verify = "verify"
    rework = "rework"
    # A remark or attachment that does not move the case (from and to are the same stage).
    comment = "comment"
    # Field dispatch of an urgent case (the stage stays; a worker is sent to the spot).
    offer = "offer"
    acknowledge = "acknowledge"
    decline = "decline"
    escalate = "escalate"
    # Recorded by the deadline sweep, not taken by people (they are not in the transition table).
    due_soon = "due_soon"
    overdue = "overdue"
    # Recorded when an imported official calendar moves a deadline.
    recalculate = "recalculate"
    # An operator chose or corrected the category (a report nothing could classify waits for this).
    recategorize = "recategorize"


ACTION_LABELS: dict[Action, str] = {
    Action.register: "立案",
    Action.reject: "不予立案",
    Action.dispatch: "派遣",
    Action.accept: "接收处置",
    Action.return_: "回退（非本单位职责）",
    Action.extend: "延期",
    Action.feedback: "处置反馈",
    Action.verify: "核查通过，结案",
    Action.rework: "核查不通过，返工",
    Action.comment: "备注",
    Action.offer: "派单给外勤人员",
    Action.acknowledge: "外勤人员接单",
    Action.decline: "外勤人员未接单",
    Action.escalate: "无人接单，升级给派遣员",
    Action.due_soon: "临近超期",
    Action.overdue: "已超期",
    Action.recalculate: "按新工作日历重算时限",
    Action.recategorize: "更正类别",
}


class CaseSort(StrEnum):
    newest = "newest"  # most recently reported first
    oldest = "oldest"
    deadline = "deadline"  # overdue first, then the nearest deadline; finished cases last


class SlaState(StrEnum):
    on_time = "on_time"
    due_soon = "due_soon"
    overdue = "overdue"
    # Recorded when an imported official calendar moves a deadline.
    recalculate = "recalculate"


SLA_STATE_LABELS: dict[SlaState, str] = {
    SlaState.on_time: "正常",
    SlaState.due_soon: "临近超期",
    SlaState.overdue: "已超期",
}
