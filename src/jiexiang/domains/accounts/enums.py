"""Roles and unit kinds, with their Chinese labels beside them (values are stable identifiers)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    admin = "admin"
    operator = "operator"
    dispatcher = "dispatcher"
    handler = "handler"
    alley_chief = "alley_chief"
    grid_worker = "grid_worker"
    steward = "steward"
    cleaner = "cleaner"  # a quasi-property company's 保洁员 (an account limited to the company)
    volunteer = "volunteer"  # a resident volunteer (志愿者) who helps inspect the alleys they are limited to
    resident = "resident"


ROLE_LABELS: dict[Role, str] = {
    Role.admin: "系统管理员",
    Role.operator: "受理员",
    Role.dispatcher: "派遣员",
    Role.handler: "处置单位",
    Role.alley_chief: "街巷长",
    Role.grid_worker: "网格员",
    Role.steward: "准物业",
    Role.cleaner: "保洁员",
    Role.volunteer: "志愿者",
    Role.resident: "居民",
}


class UnitKind(StrEnum):
    department = "department"
    property_company = "property_company"
    community_committee = "community_committee"
    utility = "utility"
    other = "other"


UNIT_KIND_LABELS: dict[UnitKind, str] = {
    UnitKind.department: "职能部门",
    UnitKind.property_company: "物业公司",
    UnitKind.community_committee: "社区居委会",
    UnitKind.utility: "市政专业公司",
    UnitKind.other: "其他单位",
}
