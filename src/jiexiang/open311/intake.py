"""Open311 GeoReport v2 service requests posted by outside apps → reports, through the same path as the
app's own report form. Reading the form is pure; `post_request` applies it."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from jiexiang.core.config import Settings
from jiexiang.core.errors import InvalidInput, NotFound
from jiexiang.core.time import Clock
from jiexiang.domains.accounts.models import ApiKey
from jiexiang.domains.cases.enums import ReportSource
from jiexiang.domains.cases.models import Report
from jiexiang.domains.cases.taxonomy import Attribute, Category, load_taxonomy
from jiexiang.domains.places.models import Address
from jiexiang.ingest.submission import Submission, apply_submission

_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
_FIELDS = (
    "service_code",
    "lat",
    "long",
    "address_string",
    "address_id",
    "email",
    "device_id",
    "account_id",
    "first_name",
    "last_name",
    "phone",
    "description",
    "media_url",
)


@dataclass
class ServiceRequestPost:
    """The fields of a POST requests call; empty values are absent, as the specification asks."""

    fields: dict[str, str]
    attributes: dict[str, list[str]]
    photos: list[tuple[str, bytes]] = field(default_factory=list)

    def get(self, name: str) -> str | None:
        return self.fields.get(name)


def read_post(form: Sequence[tuple[str, str]], photos: list[tuple[str, bytes]]) -> ServiceRequestPost:
    """The posted form as (name, value) pairs, repeats kept (multi-value attributes come that way)."""
    fields: dict[str, str] = {}
    attributes: dict[str, list[str]] = {}
    for name, value in form:
        value = value.strip()
        if not value:
            continue
        matched = _ATTRIBUTE.match(name)
        if matched:
            attributes.setdefault(matched.group(1), []).append(value)
        elif name in _FIELDS:
            fields[name] = value
    return ServiceRequestPost(fields=fields, attributes=attributes, photos=photos)


def check_attributes(category: Category, given: Mapping[str, list[str]]) -> list[tuple[Attribute, list[str]]]:
    """The answered attributes with their values (list keys, or the text given), checked against the
    service definition; unknown attribute codes are refused so that a client's typo is noticed."""
    known = {a.code: a for a in category.attributes}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise InvalidInput(f"服务 {category.code} 没有属性 {'、'.join(unknown)}", code="attribute_unknown")
    answered: list[tuple[Attribute, list[str]]] = []
    for attribute in category.attributes:
        values = given.get(attribute.code, [])
        if not values:
            if attribute.required:
                raise InvalidInput(
                    f"缺少必填属性 {attribute.code}（{attribute.description}）", code="attribute_required"
                )
            continue
        if attribute.datatype != "multivaluelist" and len(values) > 1:
            raise InvalidInput(f"属性 {attribute.code} 只能有一个值", code="attribute_invalid")
        _check_value(attribute, values)
        answered.append((attribute, values))
    return answered


def _check_value(attribute: Attribute, values: list[str]) -> None:
    if attribute.is_list:
        keys = {key for key, _ in attribute.values}
        wrong = [v for v in values if v not in keys]
        if wrong:
            raise InvalidInput(
                f"属性 {attribute.code} 的取值 {'、'.join(wrong)} 无效，可选：{'、'.join(sorted(keys))}",
                code="attribute_invalid",
            )
    elif attribute.datatype == "number":
        try:
            float(values[0])
        except ValueError:
            raise InvalidInput(f"属性 {attribute.code} 应为数字", code="attribute_invalid") from None
    elif attribute.datatype == "datetime":
        try:
            datetime.fromisoformat(values[0])
        except ValueError:
            raise InvalidInput(
                f"属性 {attribute.code} 应为 W3C 日期时间（如 2026-11-27T09:30:00+08:00）", code="attribute_invalid"
            ) from None


def _described(description: str, answered: list[tuple[Attribute, list[str]]], media_url: str | None) -> str:
    """The description with the attribute answers and an outside picture link written out for people."""
    lines = [description] if description else []
    for attribute, values in answered:
        names = dict(attribute.values)
        lines.append(f"【{attribute.description}】{'、'.join(names.get(v, v) for v in values)}")
    if media_url:
        lines.append(f"【图片链接】{media_url}")
    return "\n".join(lines)


def _coordinate(post: ServiceRequestPost, name: str) -> float | None:
    value = post.get(name)
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        raise InvalidInput(f"{name} 应为数字（WGS-84 十进制度）", code="bad_coordinates") from None


def post_request(
    session: Session,
    *,
    reference: sessionmaker[Session],
    post: ServiceRequestPost,
    api_key: ApiKey,
    settings: Settings,
    clock: Clock,
) -> tuple[Report, str]:
    """Apply a POST requests call. Returns the stored report and what happened (created, merged …). What is
    looked up before writing is read through `reference` (see `apply_submission`)."""
    code = post.get("service_code")
    if code is None:
        raise InvalidInput("缺少 service_code", code="service_code_missing")
    category = load_taxonomy().categories.get(code)
    if category is None:
        raise NotFound(f"服务 {code} 不存在", code="service_not_found")
    answered = check_attributes(category, post.attributes)
    lon, lat = _coordinate(post, "long"), _coordinate(post, "lat")
    address = post.get("address_string")
    if post.get("address_id") is not None and lon is None:
        with reference() as reading:
            lon, lat, address = _registered_address(reading, post.get("address_id") or "")
    if lon is None and lat is None and address is None and not post.photos:
        raise InvalidInput("请提供位置：lat/long、address_string 或 address_id 之一", code="location_missing")
    token = f"o311-{uuid.uuid4().hex}"
    name = " ".join(part for part in (post.get("last_name"), post.get("first_name")) if part) or None
    submission = Submission(
        text=_described(post.get("description") or "", answered, post.get("media_url")),
        category=category.code,
        lon=lon,
        lat=lat,
        address=address,
        photos=post.photos,
    )
    provenance = {
        "api_key": api_key.name,
        "attributes": post.attributes,
        "email": post.get("email"),
        "device_id": post.get("device_id"),
        "account_id": post.get("account_id"),
        "media_url": post.get("media_url"),
    }
    return apply_submission(
        session,
        reference=reference,
        submission=submission,
        source=ReportSource.open311,
        external_id=token,
        reporter_name=name,
        reporter_phone=post.get("phone"),
        provenance=provenance,
        api_key_id=api_key.id,
        settings=settings,
        clock=clock,
    )


def _registered_address(session: Session, address_id: str) -> tuple[float, float, str]:
    """An address_id is an id of the address gazetteer (the places `addresses` layer)."""
    row = session.get(Address, int(address_id)) if address_id.isdigit() else None
    if row is None:
        raise InvalidInput(f"address_id {address_id} 不在地址库中", code="address_unknown")
    return row.lon, row.lat, row.name
