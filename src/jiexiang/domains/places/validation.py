"""Turns Pydantic validation errors into Chinese sentences that name the field by its Chinese title."""

from __future__ import annotations

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

_MESSAGES = {
    "missing": "必填，不能为空",
    "string_too_short": "不能为空",
    "string_too_long": "太长（最多 {max_length} 个字符）",
    "string_type": "应为文字",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "bool_parsing": "应填“是”或“否”",
    "bool_type": "应填“是”或“否”",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "list_type": "应为列表",
    "dict_type": "应为对象",
}


def field_title(model: type[BaseModel], name: str) -> str:
    info = model.model_fields.get(name)
    return (info.title if info and info.title else None) or name


def describe_error(model: type[BaseModel], error: ErrorDetails) -> tuple[str | None, str]:
    """(Chinese field title, Chinese message) for one Pydantic error."""
    name = str(error["loc"][0]) if error["loc"] else None
    field = field_title(model, name) if name else None
    kind = error["type"]
    ctx = error.get("ctx", {})
    if kind == "string_pattern_mismatch":
        info = model.model_fields.get(name or "")
        hint = info.description if info and info.description else "格式不符合要求"
        return field, f"格式不对，应为{hint}"
    if kind == "enum":
        return field, f"取值无效，可选：{ctx.get('expected', '')}"
    if kind == "value_error":
        return field, str(ctx.get("error", "取值无效"))
    template = _MESSAGES.get(kind)
    if template is None:
        return field, "取值无效"
    try:
        return field, template.format(**ctx)
    except (KeyError, IndexError):
        return field, template


def describe_validation_error(model: type[BaseModel], exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        field, message = describe_error(model, error)
        parts.append(f"字段“{field}”：{message}" if field else message)
    return "；".join(parts)
