"""Layers point one way: cities ← accounts ← periods ← {uploads, workflow} ← reporting ←
{contracts, analysis, measures ← circulars}.

Every module of an app, migrations and commands included, is read (not imported) and its
imports, at any depth of the file, are checked against the apps it must not know.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "cities",
    "accounts",
    "periods",
    "uploads",
    "workflow",
    "reporting",
    "measures",
    "contracts",
    "analysis",
    "circulars",
]
UPPER = ["contracts", "analysis", "circulars"]

FORBIDDEN = {
    "cities": {"accounts", "periods", "uploads", "workflow", "reporting", "measures", *UPPER},
    "accounts": {"periods", "uploads", "workflow", "reporting", "measures", *UPPER},
    "periods": {"uploads", "workflow", "reporting", "measures", *UPPER},
    # Side by side: the imports of files and the moves of reports know nothing of each other.
    "uploads": {"workflow", "reporting", "measures", *UPPER},
    "workflow": {"uploads", "reporting", "measures", *UPPER},
    "reporting": {"measures", *UPPER},
    # Below the circulars, which draft and print from the measures.
    "measures": set(UPPER),
    # Shared by every app, so it knows none of them (nor the settings).
    "lib": {*APPS, "config"},
    # Backs up whatever tables there are: it needs to know none of the apps.
    "backups": set(APPS),
}


def imported_packages(path):
    """The top-level packages a module imports, by absolute imports anywhere in it."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0], node.lineno


def test_the_scan_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import os\n\ndef f():\n    from reporting.models import IPKind\n")
    assert list(imported_packages(module)) == [("os", 1), ("reporting", 4)]


@pytest.mark.parametrize("package", FORBIDDEN)
def test_a_lower_layer_imports_nothing_above_it(package):
    modules = sorted((ROOT / package).rglob("*.py"))
    assert modules, f"no modules found in {package}"
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {imported}"
        for path in modules
        for imported, line in imported_packages(path)
        if imported in FORBIDDEN[package]
    ]
    assert wrong == []
