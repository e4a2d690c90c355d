"""The rules of the code's shape (DESIGN.md, STYLE.md), checked on the code itself.

1. Every model declares its scope: a `scope_filter` classmethod and a manager with `visible_to`.
2. Views and API views never write models themselves: writes go through services.
3. Every service that writes records an audit event.
4. Scope is computed in one place: the accounts app resolves memberships into reach
   (jiayuan/accounts/reach.py) and registers it with core's actor mechanism; reads are narrowed
   only by core's scoping (`visible_to`, `estate_q`).
5. Each layer imports only the layers below it (import-linter contracts in pyproject.toml): core
   depends on no app, and the contracts fail on a forbidden import.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "jiayuan"

# Models that are deliberately not scoped, and why.
UNSCOPED_MODELS = {
    "audit.AuditEvent": "read only by auditors through the admin; not a domain object",
    "audit.AuditCheckpoint": "signed checkpoints of the audit chain, read by auditors (audit.read)",
    "audit.AuditVerification": "results of checking the audit chain, read by auditors (audit.read)",
    "accounts.User": "a login; what a user reaches comes from memberships, which are scoped",
    "workdays.WorkdayAdjustment": "the platform's calendar, the same for every region and every user",
    "cases.CaseNumberCounter": "the last case number of a year: read and written only by the filing",
    "imports.ImportJob": "an upload handed to the worker: seen by its uploader only (and system admins)",
}

# Calls that write a model whatever they are called on.
WRITE_METHODS = {
    "save",
    "delete",
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
# `update` writes when called on a queryset; on a dict (context.update(...)) it does not.
QUERYSET_HINTS = ("objects", "filter(", "exclude(", "all(", "visible_to(", "select_for_update(", "_set")


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def source_files(pattern: str) -> list[Path]:
    return sorted(p for p in PACKAGE.glob(pattern) if "tests" not in p.parts and "migrations" not in p.parts)


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def write_call(node: ast.AST) -> str | None:
    """The source of a call that writes a model, or None."""
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return None
    name = node.func.attr
    receiver = ast.unparse(node.func.value)
    if name in WRITE_METHODS or (name == "update" and any(hint in receiver for hint in QUERYSET_HINTS)):
        return f"{receiver}.{name}(...)"
    return None


def called_names(node: ast.AST) -> set[str]:
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            if isinstance(call.func, ast.Name):
                names.add(call.func.id)
            elif isinstance(call.func, ast.Attribute):
                names.add(call.func.attr)
    return names


def test_the_checks_find_writes_and_ignore_dict_updates():
    found = [
        write_call(node)
        for snippet in (
            "estate.save()",
            "Estate.objects.filter(pk=1).update(name='x')",
            "Estate.objects.create(name='x')",
            "form.save(commit=False)",
            "context.update(a=1)",
            "widget.attrs.update({'type': 'search'})",
            "estate.units.all().delete()",
        )
        for node in ast.walk(ast.parse(snippet))
        if isinstance(node, ast.Call)
    ]
    assert [f for f in found if f] == [
        "estate.save(...)",
        "Estate.objects.filter(pk=1).update(...)",
        "Estate.objects.create(...)",
        "form.save(...)",
        "estate.units.all().delete(...)",
    ]


# --- 1. every model declares its scope --------------------------------------------------------------


def jiayuan_models() -> list[type]:
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("jiayuan.") and not model._meta.abstract and not model._meta.proxy
    ]


def is_historical(model: type) -> bool:
    # django-simple-history's HistoricalXxx rows: read through the object they record.
    return model.__name__.startswith("Historical") and hasattr(model, "history_object")


def test_there_are_models_to_check():
    names = {model._meta.label for model in jiayuan_models()}
    assert {"estates.Estate", "enterprises.ServiceContract", "accounts.Membership"} <= names
    assert set(UNSCOPED_MODELS) <= names, "an allow-listed model no longer exists: drop it from the list"


def scoped_models() -> list[type]:
    return [m for m in jiayuan_models() if not is_historical(m) and m._meta.label not in UNSCOPED_MODELS]


@pytest.mark.parametrize("model", scoped_models(), ids=lambda m: m._meta.label)
def test_every_model_declares_its_scope(model):
    declared = [vars(cls)["scope_filter"] for cls in model.__mro__ if "scope_filter" in vars(cls)]
    assert declared, f"{model._meta.label} has no scope_filter"
    assert isinstance(declared[0], classmethod), f"{model._meta.label}.scope_filter must be a classmethod"
    manager = model._default_manager
    assert hasattr(manager, "visible_to"), f"{model._meta.label}'s default manager has no visible_to"
    assert hasattr(model.objects, "visible_to"), f"{model._meta.label}.objects has no visible_to"


def test_every_scoped_model_is_in_the_scope_sweep():
    """The sweep in tests/test_scope_core.py proves each persona sees exactly its rows of each model."""
    from tests.test_scope_core import EXPECTATIONS

    missing = sorted(m._meta.label for m in scoped_models() if m not in EXPECTATIONS)
    assert not missing, f"add these models to the scope sweep: {missing}"


# --- 2. views do not write ---------------------------------------------------------------------------

# (file, call) pairs a view may make, and why.
VIEW_WRITES_ALLOWED: dict[tuple[str, str], str] = {}


def view_files() -> list[Path]:
    return source_files("**/views.py") + source_files("**/api/views.py") + source_files("core/api.py")


def test_there_are_views_to_check():
    assert any(p.parent.name == "api" for p in view_files())


@pytest.mark.parametrize("path", view_files(), ids=relative)
def test_views_write_only_through_services(path):
    offences = []
    for node in ast.walk(parse(path)):
        call = write_call(node)
        if call and (relative(path), call) not in VIEW_WRITES_ALLOWED:
            offences.append(f"{relative(path)}:{node.lineno}: {call}")
    assert not offences, "views must call a service to write:\n" + "\n".join(offences)


# --- 3. services that write record an audit event -----------------------------------------------------


@dataclass
class Function:
    module: str
    name: str
    writes: list[str]
    calls: set[str]
    decorators: list[str]

    @property
    def public(self) -> bool:
        return not self.name.startswith("_")


def service_functions() -> Iterator[Function]:
    for path in source_files("*/services.py") + source_files("*/services/*.py"):
        for node in parse(path).body:
            if isinstance(node, ast.FunctionDef):
                writes = [call for sub in ast.walk(node) if (call := write_call(sub))]
                yield Function(
                    module=relative(path),
                    name=node.name,
                    writes=writes,
                    calls=called_names(node),
                    decorators=[ast.unparse(d) for d in node.decorator_list],
                )


def recording_functions(functions: list[Function]) -> set[str]:
    """Names of functions that call record_event, directly or through other service functions."""
    recording = {"record_event"}
    changed = True
    while changed:
        changed = False
        for function in functions:
            if function.name not in recording and function.calls & recording:
                recording.add(function.name)
                changed = True
    return recording


def test_there_are_services_to_check():
    names = {f.name for f in service_functions()}
    assert {"estate_create", "contract_create", "membership_grant", "record_event"} <= names


# (file, function) pairs of services that write without an audit event, and why.
SERVICES_WITHOUT_AUDIT: dict[tuple[str, str], str] = {
    ("jiayuan/notifications/services.py", "send_sms"): (
        "the outbox row is the record of the message; the act that sends it records its own event"
    ),
    ("jiayuan/notifications/services.py", "outbox_deliver"): (
        "marks an outbox row sent or failed: delivery state, not an act of a user"
    ),
    ("jiayuan/imports/services.py", "import_job_run"): (
        "the worker's state of a queued import; the import service it runs records the import itself"
    ),
    ("jiayuan/imports/services.py", "_import"): (
        "records the rows an import job has read: the worker's progress, not an act"
    ),
    ("jiayuan/imports/services.py", "_delete_stored"): (
        "deletes an import job's stored file once read (a file, not a row)"
    ),
    ("jiayuan/imports/services.py", "import_files_sweep"): (
        "deletes the stored files of finished jobs: housekeeping, not an act of a user"
    ),
    ("jiayuan/audit/services.py", "checkpoint_create"): (
        "a checkpoint is itself a signed, append-only record of the audit chain (an event per hour "
        "would only lengthen the chain it signs)"
    ),
    ("jiayuan/notifications/services.py", "queue_sms"): (
        "writes the outbox row for send_sms: the act that sends the message records its own event"
    ),
}


def test_every_service_that_writes_records_an_audit_event():
    functions = list(service_functions())
    recording = recording_functions(functions)
    offences = []
    for function in functions:
        if not function.writes or function.name in recording:
            continue
        if (function.module, function.name) in SERVICES_WITHOUT_AUDIT:
            continue
        # A helper that writes is fine if every service that calls it records the act.
        callers = [f for f in functions if function.name in f.calls and f is not function]
        if callers and all(caller.name in recording for caller in callers):
            continue
        offences.append(
            f"{function.module}: {function.name} writes ({function.writes[0]}) but records nothing"
        )
    assert not offences, "\n".join(offences)


def test_every_public_service_that_writes_runs_in_one_transaction():
    functions = list(service_functions())
    helpers = {
        f.name
        for f in functions
        if any(f.name in other.calls for other in functions if other is not f)
        and not any("atomic" in d for d in f.decorators)
    }
    offences = [
        f"{f.module}: {f.name}"
        for f in functions
        if f.public
        and f.writes
        and f.name not in helpers
        and f.name != "record_event"
        and not any(d in {"transaction.atomic", "atomic"} for d in f.decorators)
    ]
    assert not offences, "services that write must be @transaction.atomic:\n" + "\n".join(offences)


def test_the_audit_check_catches_a_service_that_does_not_record():
    functions = [
        Function("m", "quiet_write", ["estate.save(...)"], {"save"}, []),
        Function("m", "loud_write", ["estate.save(...)"], {"save", "record_event"}, []),
        Function("m", "helper", ["x.save(...)"], {"save"}, []),
        Function("m", "uses_helper", [], {"helper", "record_event"}, []),
    ]
    recording = recording_functions(functions)
    assert "quiet_write" not in recording
    assert {"loud_write", "uses_helper"} <= recording


# --- 4. scope is computed in one place ----------------------------------------------------------------

# Modules outside the accounts app (which owns memberships) that may import Membership, and why.
# None of them may turn memberships into reach.
MEMBERSHIP_IMPORTERS_ALLOWED = {
    "jiayuan/demo/logins.py": "the demo seed writes the demo users' memberships",
    "jiayuan/demo/digest.py": "the demo seed counts the rows it wrote",
    "jiayuan/testing/world.py": "the test world writes its personas' memberships",
}
SCOPE_INTERNALS = ("REGIONAL_ROLES", "ESTATE_ROLES")


def python_modules() -> list[Path]:
    return source_files("**/*.py")


def imports_membership(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any(alias.name == "Membership" for alias in node.names):
            return True
    return False


def test_only_accounts_imports_membership():
    offences = []
    for path in python_modules():
        name = relative(path)
        if name.startswith("jiayuan/accounts/") or name in MEMBERSHIP_IMPORTERS_ALLOWED:
            continue
        if imports_membership(parse(path)):
            offences.append(name)
    assert not offences, (
        "use the actor (actor_for(user).scope) instead of reading memberships:\n" + "\n".join(offences)
    )


def test_the_role_to_reach_mapping_is_used_only_where_reach_is_resolved():
    offences = [
        relative(path)
        for path in python_modules()
        if relative(path) not in {"jiayuan/accounts/choices.py", "jiayuan/accounts/reach.py"}
        and any(word in path.read_text(encoding="utf-8") for word in SCOPE_INTERNALS)
    ]
    assert not offences, "\n".join(offences)


def test_reach_is_resolved_only_through_the_actor():
    offences = [
        relative(path)
        for path in python_modules()
        if relative(path) not in {"jiayuan/accounts/reach.py", "jiayuan/core/actor.py"}
        and called_names(parse(path)) & {"scope_for_user", "resolve_reach", "reach_of"}
    ]
    assert not offences, "build an Actor with actor_for(user) instead:\n" + "\n".join(offences)


# --- 5. the layers: import-linter contracts (pyproject.toml [tool.importlinter]) ---------------------

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter with the project's contracts over the `jiayuan` package found in `cwd`."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")],
        cwd=cwd,
        capture_output=True,
        text=True,
        # No timeout: its polling sleep fails under libfaketime (CI's shifted-clock run).
    )


def test_the_code_keeps_the_layer_contracts():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("core/scoping.py", "jiayuan.accounts.models"),  # the kernel reaching for an app
        ("cases/services/filing.py", "jiayuan.campaigns.coverage"),  # a cycle coming back
        ("regions/models.py", "jiayuan.estates.models"),  # a lower registry app reaching up
        ("estates/views.py", "jiayuan.enterprises.selectors"),
        ("enterprises/services.py", "jiayuan.governance.models"),  # two independent apps of one layer
    ],
)
def test_import_linter_fails_on_a_forbidden_import(tmp_path, module, forbidden):
    """The same contracts over a copy of the package with one forbidden import added."""
    shutil.copytree(PACKAGE, tmp_path / "jiayuan", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    target = tmp_path / "jiayuan" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\nimport {forbidden}  # forbidden\n", "utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    importer = "jiayuan." + module.removesuffix(".py").replace("/", ".")
    assert f"{importer} -> {forbidden}" in result.stdout
