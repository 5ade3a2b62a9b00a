"""The functional core stays pure: no Django, no settings, no project shell modules."""

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _core_modules() -> list[Path]:
    """The functional core as pyproject.toml lists it for mypy: files, and every module of a folder."""
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]["files"]
    paths: list[Path] = []
    for name in listed:
        path = ROOT / name
        paths += sorted(path.glob("*.py")) if path.is_dir() else [path]
    return paths


CORE = _core_modules()
SHELL_MODULES = ("django", "celery", "leads.models", "leads.qualification", "leads.tasks", "config", "httpx")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", [p for p in CORE if p.exists()], ids=lambda p: str(p.relative_to(ROOT)))
def test_core_module_imports_no_django_or_io_shell(path: Path) -> None:
    bad = [name for name in _imports(path) if name.split(".")[0] in {"django", "celery", "httpx", "config"}]
    bad += [name for name in _imports(path) if name in SHELL_MODULES]
    assert not bad, f"{path.name} is core and must stay pure, but imports {bad}"


def test_core_modules_exist() -> None:
    missing = [str(p.relative_to(ROOT)) for p in CORE if not p.exists()]
    assert not missing, f"core modules missing: {missing}"
