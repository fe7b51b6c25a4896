"""`jiexiang calendar show` and `import`, and what any command says on a database that is not migrated."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import invoke
from tests.helpers import NOTICE_2027


def test_show_a_provisional_year_then_import_its_notice(database: str, tmp_path: Path) -> None:
    assert invoke("db", "upgrade")[0] == 0
    code, shown = invoke("calendar", "show", "2027")
    assert code == 0, shown
    assert "2027 年工作日历：暂定" in shown
    assert "2027-02-05 周五  春节" in shown and "2027-02-09 周二  春节（补假）" in shown
    notice = tmp_path / "2027.toml"
    notice.write_text(NOTICE_2027, "utf-8")
    code, imported = invoke("calendar", "import", str(notice))
    assert code == 0, imported
    assert "已导入 2027 年节假日安排；重算了 0 件未结案件的处置时限" in imported
    code, shown = invoke("calendar", "show", "2027")
    assert "2027 年工作日历：正式" in shown and "2027-01-04 周一  元旦" in shown and "2027-01-09 周六" in shown
    notice.write_text(NOTICE_2027.replace("2027-01-09", "2027-01-11"), "utf-8")
    code, refused = invoke("calendar", "import", str(notice))
    assert code == 1 and "调休上班日 2027-01-11 不是周末" in refused


def test_commands_on_a_database_that_is_not_migrated_say_what_to_do(database: str) -> None:
    for command in (["calendar", "show", "2027"], ["jobs", "sla-sweep"], ["open311", "keys", "list"]):
        code, output = invoke(*command)
        assert code == 1, command
        assert "请先运行 jiexiang db upgrade" in output and "Traceback" not in output
