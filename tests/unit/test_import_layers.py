"""The intake cores (export reading, mail parsing, company names) stay pure: no Django, no I/O shell."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = [
    *sorted((ROOT / "leads" / "importing").glob("*.py")),
    *sorted((ROOT / "leads" / "mailbox").glob("*.py")),
    ROOT / "leads" / "company_match.py",
]
FORBIDDEN_ROOTS = {"django", "celery", "httpx", "config", "imaplib", "socket", "smtplib", "requests"}
FORBIDDEN_MODULES = {
    "leads.models",
    "leads.intake",
    "leads.qualification",
    "leads.tasks",
    "leads.imports",
    "leads.mailbox_poll",
}


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_intake_core_module_imports_no_django_or_io(path: Path) -> None:
    bad = [
        name for name in _imports(path) if name.split(".")[0] in FORBIDDEN_ROOTS or name in FORBIDDEN_MODULES
    ]
    assert not bad, f"{path.name} is core and must stay pure, but imports {bad}"


def test_every_core_module_opens_with_a_docstring_naming_its_decision() -> None:
    missing = [str(p.relative_to(ROOT)) for p in CORE if not ast.get_docstring(ast.parse(p.read_text()))]
    assert not missing
