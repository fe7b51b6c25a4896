"""Ticket kinds, states, actions and callback answers, with their Chinese labels beside them."""

from __future__ import annotations

from enum import StrEnum


class TicketKind(StrEnum):
    """诉求类型, as the 12345 platform classifies a call."""

    help = "help"
    complaint = "complaint"
    inquiry = "inquiry"
    suggestion = "suggestion"
    praise = "praise"


KIND_LABELS: dict[TicketKind, str] = {
    TicketKind.help: "求助",
    TicketKind.complaint: "投诉",
    TicketKind.inquiry: "咨询",
    TicketKind.suggestion: "建议",
    TicketKind.praise: "表扬",
}


class TicketStatus(StrEnum):
    open = "open"  # dispatched to us: to be contacted, handled and answered
    finished = "finished"  # answered (办结): waiting for the city's callback
    returning = "returning"  # the assignee says it is not theirs; the centre decides
    returned = "returned"  # handed back to the city as wrongly assigned


STATUS_LABELS: dict[TicketStatus, str] = {
    TicketStatus.open: "办理中",
    TicketStatus.finished: "已办结",
    TicketStatus.returning: "退单审核中",
    TicketStatus.returned: "已退单",
}


class AppealStatus(StrEnum):
    """申诉: the demand is unreasonable or cannot be met; an accepted appeal takes the ticket out of the rates."""

    none = "none"
    pending = "pending"
    accepted = "accepted"
    rejected = "rejected"


APPEAL_LABELS: dict[AppealStatus, str] = {
    AppealStatus.none: "未申诉",
    AppealStatus.pending: "申诉审核中",
    AppealStatus.accepted: "申诉成立",
    AppealStatus.rejected: "申诉驳回",
}


class TicketAction(StrEnum):
    contact = "contact"
    handle = "handle"
    extend = "extend"
    reply = "reply"
    return_ = "return"
    accept_return = "accept_return"
    refuse_return = "refuse_return"
    appeal = "appeal"
    accept_appeal = "accept_appeal"
    reject_appeal = "reject_appeal"


ACTION_LABELS: dict[TicketAction, str] = {
    TicketAction.contact: "联系诉求人",
    TicketAction.handle: "办理",
    TicketAction.extend: "延期",
    TicketAction.reply: "答复",
    TicketAction.return_: "申请退单",
    TicketAction.accept_return: "同意退单",
    TicketAction.refuse_return: "驳回退单",
    TicketAction.appeal: "申诉",
    TicketAction.accept_appeal: "申诉成立",
    TicketAction.reject_appeal: "驳回申诉",
}


class ContactMethod(StrEnum):
    phone = "phone"
    visit = "visit"
    message = "message"


CONTACT_LABELS: dict[ContactMethod, str] = {
    ContactMethod.phone: "电话",
    ContactMethod.visit: "上门",
    ContactMethod.message: "短信/微信",
}


class CallbackSource(StrEnum):
    city = "city"  # the 12345 platform's own callback: the one the rates count
    own = "own"  # 自查回访: the subdistrict calling back before the city does


CALLBACK_SOURCE_LABELS: dict[CallbackSource, str] = {
    CallbackSource.city: "市级回访",
    CallbackSource.own: "自查回访",
}


class Satisfaction(StrEnum):
    satisfied = "satisfied"
    basically = "basically"
    unsatisfied = "unsatisfied"


SATISFACTION_LABELS: dict[Satisfaction, str] = {
    Satisfaction.satisfied: "满意",
    Satisfaction.basically: "基本满意",
    Satisfaction.unsatisfied: "不满意",
}


class TaskStatus(StrEnum):
    open = "open"
    done = "done"  # finished, with evidence
    cancelled = "cancelled"


TASK_STATUS_LABELS: dict[TaskStatus, str] = {
    TaskStatus.open: "进行中",
    TaskStatus.done: "已完成",
    TaskStatus.cancelled: "已取消",
}


class TaskOrigin(StrEnum):
    """Where a proactive task (主动治理任务) came from."""

    warning = "warning"  # an analytics warning
    hotspot = "hotspot"  # a hotspot on the map
    monthly = "monthly"  # 每月一题: a topic the platform proposed for the month
    manual = "manual"


TASK_ORIGIN_LABELS: dict[TaskOrigin, str] = {
    TaskOrigin.warning: "预警",
    TaskOrigin.hotspot: "热点",
    TaskOrigin.monthly: "每月一题",
    TaskOrigin.manual: "自定",
}


class TaskAction(StrEnum):
    finish = "finish"
    cancel = "cancel"


TASK_ACTION_LABELS: dict[TaskAction, str] = {TaskAction.finish: "完成", TaskAction.cancel: "取消"}
