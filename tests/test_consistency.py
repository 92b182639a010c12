"""The project's rules about its own code, checked on every module.

Each rule is one test; each exception is named with its reason, in this file or beside the
data it concerns (the permission matrix's unnamed URLs, the models without history)."""

import ast
import importlib
import inspect
import re
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings

from iscg.background import LEFT_WORK
from iscg.celery import app
from iscg.gate import GatedQuerySet
from tests.permissions.matrix import ADMIN_PREFIX, all_entries
from tests.permissions.test_matrix import UNNAMED_ALLOWED, walk_patterns
from tests.security.test_history import HISTORY_APPS, NO_HISTORY

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("iscg", "cases", "conventions", "reporting", "partners", "outbox", "bench", "faults")
MAX_LINES = 400
# Modules that are data rather than code, allowed to be longer.
DATA_MODULES: dict[str, str] = {}
# django-guardian's tables: read by iscg.access, written by iscg.grants, exported by the
# models package; every other module asks iscg.access.
GUARDIAN_READERS = {"iscg/access.py", "iscg/grants.py", "iscg/models/__init__.py"}
# A function's import says why it is not at the top: the import cycle it breaks, or that a
# heavy library is loaded on first use (not by every web worker).
CYCLE_COMMENT = re.compile(r"#.*\b(cycle|loaded on first use)\b", re.IGNORECASE)


def _modules(*, with_tests: bool) -> list[Path]:
    roots = [ROOT / name for name in PACKAGES]
    if with_tests:
        roots.append(ROOT / "tests")
    return sorted(
        path
        for root in roots
        for path in root.rglob("*.py")
        if "migrations" not in path.parts and ".venv" not in path.parts
    )


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_no_module_is_over_400_lines():
    long = {
        _name(path): count
        for path in _modules(with_tests=True)
        if (count := len(path.read_text().splitlines())) > MAX_LINES
        and _name(path) not in DATA_MODULES
    }
    assert long == {}, f"Modules de plus de {MAX_LINES} lignes : {long}"


def test_every_service_takes_the_acting_user_by_keyword():
    """Public functions taking the actor; private helpers and the ``check_*`` guards,
    whose subject is the actor, may take it first."""
    positional = []
    for path in _modules(with_tests=False):
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not (
                node.name.startswith(("_", "check_"))
            ):
                names = [arg.arg for arg in node.args.posonlyargs + node.args.args]
                if "acting_user" in names:
                    positional.append(f"{_name(path)}:{node.lineno} {node.name}")
    assert positional == [], f"acting_user passé par position : {positional}"


def test_guardians_tables_are_read_only_by_iscg_access():
    readers = []
    for path in _modules(with_tests=False):
        if _name(path) in GUARDIAN_READERS:
            continue
        for node in ast.walk(_tree(path)):
            name = (
                node.id
                if isinstance(node, ast.Name)
                else node.attr
                if isinstance(node, ast.Attribute)
                else None
            )
            imported = isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "guardian"
            )
            if imported and any(alias.name != "UserObjectPermissionBase" for alias in node.names):
                readers.append(f"{_name(path)}:{node.lineno} import de {node.module}")
            elif name and name.endswith("UserObjectPermission"):
                readers.append(f"{_name(path)}:{node.lineno} {name}")
    assert readers == [], f"Tables de django-guardian lues hors de iscg/access.py : {readers}"


def _function_imports(tree: ast.Module):
    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if in_function and isinstance(child, ast.Import | ast.ImportFrom):
                yield child
            yield from visit(child, inside)

    return list(visit(tree, False))


def _says_which_cycle(lines: list[str], node, import_lines: set[int]) -> bool:
    """A comment naming the cycle on the import's line, or above it (a run of imports
    shares the comment above its first)."""
    if CYCLE_COMMENT.search(lines[node.lineno - 1]):
        return True
    number = node.lineno - 1
    while number >= 1 and (number in import_lines or not lines[number - 1].strip()):
        number -= 1
    while number >= 1 and lines[number - 1].strip().startswith("#"):
        if CYCLE_COMMENT.search(lines[number - 1]):
            return True
        number -= 1
    return False


def test_every_import_inside_a_function_says_which_cycle_it_breaks():
    unexplained = []
    for path in _modules(with_tests=False):
        tree = _tree(path)
        imports = _function_imports(tree)
        if not imports:
            continue
        lines = path.read_text().splitlines()
        import_lines = {
            number for node in imports for number in range(node.lineno, node.end_lineno + 1)
        }
        unexplained += [
            f"{_name(path)}:{node.lineno}"
            for node in imports
            if not _says_which_cycle(lines, node, import_lines)
        ]
    assert unexplained == [], (
        "Imports dans une fonction sans commentaire disant quel cycle ils évitent ou quelle "
        "bibliothèque lourde ils chargent à la première utilisation (« loaded on first "
        f"use ») ; sinon, les remonter en tête du module : {unexplained}"
    )


def test_every_read_gate_is_the_one_gate():
    """Every queryset offering ``visible_to`` takes it from iscg.gate.GatedQuerySet: who
    reads nothing (anonymous, deactivated) and whether the technical operator reads all
    are decided in one place, the model deciding only what its users reach."""
    own = []
    for model in apps.get_models():
        queryset = model._default_manager.get_queryset()
        if hasattr(queryset, "visible_to") and not isinstance(queryset, GatedQuerySet):
            own.append(model._meta.label)
    assert own == [], f"Portes de lecture hors de iscg.gate : {own}"


def _task(dotted: str):
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def test_every_periodic_task_is_registered_and_importable():
    app.loader.import_default_modules()
    names = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    names += [name for name, _kwargs in LEFT_WORK]
    for name in names:
        assert name in app.tasks, f"Tâche périodique inconnue de Celery : {name}"
        task = _task(name)
        assert task.name == name, f"{name} est enregistrée sous {task.name}"
        signature = inspect.signature(task.run)
        required = [
            parameter
            for parameter in signature.parameters.values()
            if parameter.default is inspect.Parameter.empty
            and parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
        ]
        assert required == [], f"{name} attend des arguments que beat ne donne pas : {required}"


def test_every_url_pattern_is_in_the_matrix():
    covered = {entry.url_name for entry in all_entries()}
    missing = []
    for name, route in walk_patterns():
        if name is None:
            if not any(route.startswith(prefix) for prefix in UNNAMED_ALLOWED):
                missing.append(f"(sans nom) {route}")
            continue
        if name.startswith(ADMIN_PREFIX):
            continue  # the admin group: see matrix.admin_entries
        if name not in covered:
            missing.append(f"{name} — {route}")
    assert missing == [], (
        "Ces adresses n'ont pas d'entrée dans tests/permissions/matrix.py :\n" + "\n".join(missing)
    )


def test_every_matrix_entry_names_an_existing_url():
    names = {name for name, _ in walk_patterns() if name}
    unknown = [entry.id for entry in all_entries() if entry.url_name not in names]
    assert unknown == []


def test_every_model_holding_case_convention_report_or_user_data_has_history():
    missing = []
    for app_label in HISTORY_APPS:
        for model in apps.get_app_config(app_label).get_models():
            label = model._meta.label_lower
            if model.__name__.startswith("Historical") or label in NO_HISTORY:
                continue
            if not getattr(model._meta, "simple_history_manager_attribute", None):
                missing.append(label)
    assert missing == [], f"Sans historique (django-simple-history) : {missing}"


def test_every_group_of_buttons_with_icons_says_where_the_icons_go():
    """The DSFR draws an icon button of a « fr-btns-group » without « --icon-left » or
    « --icon-right » as its icon alone, 40 px wide: « Nouvelle fiche bénéficiaire » was a
    « + » and its words were hidden (found in Chromium, 2026-12-05). The header's tool links
    are drawn by the header's own rules."""
    icon_button = re.compile(r'class="[^"]*(fr-btn[^"]*fr-icon-|fr-icon-[^"]*fr-btn)')
    found = []
    for path in ROOT.rglob("*.html"):
        if ".venv" in path.parts or path.name == "header.html":
            continue
        text = path.read_text()
        for group in re.finditer(r'<ul class="(fr-btns-group[^"]*)"', text):
            block = text[group.end() : text.find("</ul>", group.end())]
            if "fr-btns-group--icon-" not in group.group(1) and icon_button.search(block):
                found.append(str(path.relative_to(ROOT)))
    assert found == []
