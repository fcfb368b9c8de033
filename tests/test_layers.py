"""Layers point one way: cities ← accounts ← periods ← {uploads, workflow} ← reporting ←
{contracts, measures} ← analysis ← circulars ← portal.

Every module of an app, migrations and commands included, is read (not imported) and its
imports, at any depth of the file, are checked against the apps it must not know. So is every
template of an app (``templates/<app>/``, its admin pages' ``templates/admin/<app>/``): the
URLs it names and the templates it includes or extends. And no module keeps a registry that
other apps fill: a lower app that needs something of the apps above it asks the settings
(``PAGE_LINKS``), overrides a hook (``WorkflowHooks``), or is called by the portal in an order
written down (``loaddemo``).
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "audit",
    "cities",
    "accounts",
    "periods",
    "uploads",
    "workflow",
    "reporting",
    "contracts",
    "measures",
    "analysis",
    "circulars",
    "portal",
]
UPPER = ["contracts", "measures", "analysis", "circulars", "portal"]

FORBIDDEN = {
    # The audit trail, under every app: each records its events; it knows none of them.
    "audit": set(APPS) - {"audit"},
    "cities": {"accounts", "periods", "uploads", "workflow", "reporting", *UPPER},
    "accounts": {"periods", "uploads", "workflow", "reporting", *UPPER},
    "periods": {"uploads", "workflow", "reporting", *UPPER},
    # Side by side: the imports of files and the moves of reports know nothing of each other.
    "uploads": {"workflow", "reporting", *UPPER},
    "workflow": {"uploads", "reporting", *UPPER},
    "reporting": set(UPPER),
    # Side by side: a report's contracts, a unit's measures.
    "contracts": {"measures", "analysis", "circulars", "portal"},
    "measures": {"contracts", "analysis", "circulars", "portal"},
    # A unit's history links its measures; the circulars print analysis's charts and draft
    # from the measures.
    "analysis": {"contracts", "circulars", "portal"},
    "circulars": {"contracts", "portal"},
    # On top: knows every app, known by none.
    "portal": set(),
    # Shared by every app, so it knows none of them (nor the settings).
    "lib": {*APPS, "config"},
    # Backs up whatever tables there are: it needs to know none of the apps (it records its
    # runs in the audit trail).
    "backups": set(APPS) - {"audit"},
}

# Module-level containers that a function fills, and why each is no registry.
NOT_REGISTRIES = {
    ("circulars/pdf.py", "_STYLESHEETS"): "parsed stylesheets, cached by their content",
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


def test_every_app_has_its_place_in_the_layers():
    from django.conf import settings

    ours = [app for app in settings.INSTALLED_APPS if (ROOT / app / "apps.py").exists()]
    assert sorted(ours) == sorted([*APPS, "backups"])
    # INSTALLED_APPS lists them lowest layer first, as APPS does.
    assert [app for app in ours if app in APPS] == APPS


# ── Templates ─────────────────────────────────────────────────────────────────────────

URL_TAG = re.compile(r"{%\s*url\s+['\"](?:(?P<namespace>\w+):)?(?P<name>[\w-]+)['\"]")
TEMPLATE_TAG = re.compile(r"{%\s*(?:include|extends)\s+['\"](?P<folder>[\w-]+)/")


def template_references(text):
    """(kind, app) of what a template names: a URL's namespace, an included or extended
    template's folder. URLs without a namespace are the site's own (its home, log-in, the
    language switch), which every page may link; so is the admin's."""
    for match in URL_TAG.finditer(text):
        if match["namespace"] and match["namespace"] != "admin":
            yield "URL", match["namespace"], text.count("\n", 0, match.start()) + 1
    for match in TEMPLATE_TAG.finditer(text):
        yield "template", match["folder"], text.count("\n", 0, match.start()) + 1


def app_templates(app):
    folders = [
        ROOT / "templates" / app,
        ROOT / "templates" / "admin" / app,
        ROOT / app / "templates",
    ]
    return sorted(path for folder in folders for path in folder.rglob("*") if path.is_file())


def test_the_template_scan_sees_urls_includes_and_extends():
    text = (
        "{% extends \"base.html\" %}{% url 'home' %}\n"
        "{% url \"contracts:banks\" period.slug %}{% include 'measures/x.html' %}\n"
        "{% url 'admin:index' %}{% extends 'reporting/report.html' %}"
    )
    assert list(template_references(text)) == [
        ("URL", "contracts", 2),
        ("template", "measures", 2),
        ("template", "reporting", 3),
    ]


@pytest.mark.parametrize("app", [app for app in APPS if app != "portal"])
def test_a_lower_layers_templates_name_nothing_above_it(app):
    wrong = [
        f"{path.relative_to(ROOT)}:{line} names the {kind} of {other}"
        for path in app_templates(app)
        for kind, other, line in template_references(path.read_text(encoding="utf-8"))
        if other in FORBIDDEN[app]
    ]
    assert wrong == []


def test_the_shared_templates_name_no_apps_url():
    shared = sorted((ROOT / "templates" / "includes").glob("*.html"))
    assert shared
    wrong = [
        f"{path.relative_to(ROOT)}:{line} names the {kind} of {other}"
        for path in shared
        for kind, other, line in template_references(path.read_text(encoding="utf-8"))
        if other in APPS
    ]
    assert wrong == []


# ── Registries ────────────────────────────────────────────────────────────────────────


def filled_containers(path):
    """(name, line) of each module-level empty list, dict or set that a function fills."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    empty = set()
    for node in tree.body:
        if isinstance(node, ast.Assign):
            value = node.value
            literal = isinstance(value, ast.List | ast.Set) and not value.elts
            literal = literal or (isinstance(value, ast.Dict) and not value.keys)
            call = (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Name)
                and value.func.id in {"list", "dict", "set", "defaultdict"}
            )
            if literal or call:
                empty |= {target.id for target in node.targets if isinstance(target, ast.Name)}
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in empty
                and node.func.attr in {"append", "extend", "add", "update", "setdefault", "insert"}
            ):
                yield node.func.value.id, node.lineno
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                if isinstance(target, ast.Subscript) and getattr(target.value, "id", None) in empty:
                    yield target.value.id, node.lineno


def test_the_registry_scan_sees_a_list_and_a_dict_filled_by_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "_providers = []\n_kinds = {}\nDONE = [1]\n\n"
        "def register(p):\n    _providers.append(p)\n\n"
        "def register_kind(model, kind):\n    _kinds[model] = kind\n    DONE.append(1)\n"
    )
    assert list(filled_containers(module)) == [("_providers", 6), ("_kinds", 9)]


def test_no_module_keeps_a_registry_that_others_fill():
    found = {
        (str(path.relative_to(ROOT)), name): line
        for package in [*APPS, "lib", "backups"]
        for path in sorted((ROOT / package).rglob("*.py"))
        for name, line in filled_containers(path)
    }
    wrong = sorted(f"{path}:{line} fills {name}" for (path, name), line in found.items()
                   if (path, name) not in NOT_REGISTRIES)  # fmt: skip
    assert wrong == []
    assert set(NOT_REGISTRIES) <= set(found), "an exemption for a container that is gone"


# ── Transactions ──────────────────────────────────────────────────────────────────────


def transaction_uses(path):
    """Lines where a module opens a transaction of its own (``transaction.atomic``, or
    ``atomic`` imported from django.db)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "atomic":
            yield node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module == "django.db.transaction":
            yield node.lineno


def test_the_transaction_scan_sees_a_decorator_and_an_import(tmp_path):
    module = tmp_path / "views.py"
    module.write_text(
        "from django.db import transaction\nfrom django.db.transaction import atomic\n\n"
        "@transaction.atomic\ndef view(request):\n    pass\n"
    )
    assert sorted(transaction_uses(module)) == [2, 4]


def test_no_view_owns_a_transaction():
    """Views call services, and the services own the transactions (and their locks)."""
    views = [path for app in APPS for path in sorted((ROOT / app).rglob("views*.py"))]
    assert views
    wrong = [
        f"{path.relative_to(ROOT)}:{line}" for path in views for line in transaction_uses(path)
    ]
    assert wrong == []


# ── Tests ─────────────────────────────────────────────────────────────────────────────


def test_no_test_module_imports_another():
    """Tests share what they need through ``conftest.py`` (fixtures) and ``tests.support``;
    a test module imported by another runs its tests twice and ties their order."""
    wrong = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = ("." * node.level) + (node.module or "")
                names = [module, *(f"{module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            if any(
                part.startswith(("test_", "conftest")) for name in names for part in name.split(".")
            ):
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert wrong == []
