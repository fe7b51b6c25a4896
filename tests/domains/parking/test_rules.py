"""Permit allocation rules as data: plates, priority groups, the waiting-list order, and a broken rules file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from jiexiang.core.errors import ConfigurationError, InvalidInput
from jiexiang.domains.parking.rules import DEFAULT_RULES, load_rules

RULES = load_rules()
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def test_plates_are_normalised_or_refused_in_chinese() -> None:
    assert RULES.check_plate("京a 12345") == "京A12345"
    assert RULES.check_plate("京AD·12345") == "京AD12345"  # new-energy plates have six characters
    for bad in ("A12345", "京12345", "京A123", "京A1234567"):
        with pytest.raises(InvalidInput, match="车牌号"):
            RULES.check_plate(bad)


def test_unknown_priority_groups_are_refused_naming_the_known_ones() -> None:
    assert RULES.check_groups(["elderly", "disabled", "elderly"]) == ["disabled", "elderly"]
    with pytest.raises(InvalidInput, match="残疾人家庭"):
        RULES.check_groups(["vip"])


# (holds a permit already, groups, minutes after T0, id) → the order the waiting list serves them in.
CASES = [
    ("first permit before a second one", [(True, [], 0, 1), (False, [], 60, 2)], [2, 1]),
    ("priority group before earlier applicants", [(False, [], 0, 1), (False, ["elderly"], 60, 2)], [2, 1]),
    ("disabled (rank 1) before elderly (rank 2)", [(False, ["elderly"], 0, 1), (False, ["disabled"], 60, 2)], [2, 1]),
    (
        "the best of several groups counts",
        [(False, ["caregiver"], 0, 1), (False, ["elderly", "disabled"], 9, 2)],
        [2, 1],
    ),
    ("equal rank: who applied first", [(False, ["elderly"], 5, 1), (False, ["caregiver"], 0, 2)], [2, 1]),
    (
        "a priority group does not beat one permit per household",
        [(True, ["disabled"], 0, 1), (False, [], 9, 2)],
        [2, 1],
    ),
    ("same moment: lower id first", [(False, [], 0, 2), (False, [], 0, 1)], [1, 2]),
]


@pytest.mark.parametrize(("why", "applications", "order"), CASES, ids=[c[0] for c in CASES])
def test_the_waiting_list_order(
    why: str, applications: list[tuple[bool, list[str], int, int]], order: list[int]
) -> None:
    keyed = sorted(
        applications,
        key=lambda a: RULES.queue_key(
            holds_permit=a[0], groups=a[1], applied_at=T0 + timedelta(minutes=a[2]), application_id=a[3]
        ),
    )
    assert [a[3] for a in keyed] == order


def test_a_subdistrict_changes_policy_in_its_own_file(tmp_path: Path) -> None:
    own = tmp_path / "rules.toml"
    own.write_text(DEFAULT_RULES.read_text("utf-8").replace("permit_months = 12", "permit_months = 6"), "utf-8")
    assert load_rules(own).permit_months == 6
    broken = tmp_path / "broken.toml"
    broken.write_text("permit_months = 'twelve'\n", "utf-8")
    with pytest.raises(ConfigurationError, match="停车分配规则文件"):
        load_rules(broken)
