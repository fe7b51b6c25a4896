"""What `pip install .` gives a user: every module the code imports comes with a main dependency (not an extra),
and every data file the code loads is in the wheel's package data."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "jiexiang"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def _distribution_name(requirement: str) -> str:
    name = requirement.split(";")[0].split("[")[0]
    for mark in "=<>!~ ":
        name = name.split(mark)[0]
    return name.strip().lower().replace("_", "-")


def _imported_top_level_modules() -> set[str]:
    modules: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules - {"jiexiang", "__future__"} - set(sys.stdlib_module_names)


def test_every_imported_module_comes_with_a_main_dependency() -> None:
    main = {_distribution_name(r) for r in PYPROJECT["project"]["dependencies"]}
    providers = packages_distributions()
    missing = {}
    for module in sorted(_imported_top_level_modules()):
        dists = {d.lower().replace("_", "-") for d in providers.get(module, [])}
        if not dists & main and module not in _TRANSITIVE:
            missing[module] = sorted(dists)
    assert missing == {}, f"imported at run time but not a main dependency: {missing}"


# Installed with a main dependency, which the project relies on directly for it (anyio: Starlette's own
# thread pool; starlette: FastAPI; pydantic_core: pydantic).
_TRANSITIVE = {"anyio", "starlette", "pydantic_core"}


def test_every_data_file_is_in_the_package_data() -> None:
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["jiexiang"]
    data_files = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"} and "web/dist" not in path.as_posix()
    ]
    assert data_files, "the package ships data files (taxonomy, calendars, migrations' template)"
    # As setuptools reads the patterns: globs from the package, where `*` stays within one folder (fnmatch's `*` would
    # also match "data/checklists/x.toml" against "data/*.toml", which the wheel leaves out).
    packaged = {path.relative_to(PACKAGE).as_posix() for pattern in patterns for path in PACKAGE.glob(pattern)}
    left_out = [name for name in data_files if name not in packaged]
    assert left_out == []
