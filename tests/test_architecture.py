"""The import contracts (pyproject.toml, checked by lint-imports) cannot pass by accident: every module is in a
layer, and every name they list exists. And no module outside the migrations grows past 500 lines."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "jiexiang"
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["importlinter"]["contracts"]
MAX_LINES = 500


def _contract(prefix: str) -> dict[str, object]:
    return next(c for c in CONTRACTS if str(c["name"]).startswith(prefix))


def _names(layers: object) -> set[str]:
    assert isinstance(layers, list)
    return {name.strip().strip("()") for layer in layers for name in str(layer).split("|")}


def _modules(package: Path) -> set[str]:
    return {p.stem for p in package.glob("*.py") if p.stem != "__init__"} | {
        p.name for p in package.iterdir() if (p / "__init__.py").is_file()
    }


def test_every_top_level_package_is_in_a_layer_and_every_layer_exists() -> None:
    named = {n.removeprefix("jiexiang.") for n in _names(_contract("Top-level layers")["layers"])}
    assert named == _modules(PACKAGE)


def test_every_domain_is_layered_and_contained() -> None:
    domains = {p.name for p in (PACKAGE / "domains").iterdir() if (p / "__init__.py").is_file()}
    assert _names(_contract("Domains: lower")["layers"]) == domains
    inside = _contract("Inside a domain")
    assert {str(c).removeprefix("jiexiang.domains.") for c in inside["containers"]} == domains  # type: ignore[attr-defined]


def test_every_module_of_a_domain_is_in_a_layer_and_every_layer_names_a_module() -> None:
    named = _names(_contract("Inside a domain")["layers"])
    found: set[str] = set()
    for domain in (PACKAGE / "domains").iterdir():
        if (domain / "__init__.py").is_file():
            modules = _modules(domain)
            assert modules <= named, f"{domain.name}: {sorted(modules - named)} are in no layer"
            found |= modules
    assert named <= found, f"layers name modules no domain has: {sorted(named - found)}"


def test_the_framework_rule_covers_whole_packages() -> None:
    sources = _contract("Only the edges")["source_modules"]
    assert isinstance(sources, list)
    assert all((PACKAGE / s.removeprefix("jiexiang.").replace(".", "/")).is_dir() for s in sources)


def test_no_module_outside_the_migrations_is_over_500_lines() -> None:
    long = {
        str(path.relative_to(PACKAGE)): lines
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts and (lines := len(path.read_text("utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
