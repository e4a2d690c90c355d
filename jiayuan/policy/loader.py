"""Loading and validating policy presets.

A preset is a TOML file under `presets/` (or any path). `extends = "<name>"` in `[meta]` layers it
over another preset (a shipped name, or a path ending in .toml, relative to the extending file):
tables merge key by key, lists of coded entries merge by `code` (and the responsibility list by
category and region), so a city file only states what differs. A deployment overrides values the
same way, with its own file that extends a shipped preset.

An entry or table that changes an inherited value must give its own `clause`: a rule never keeps
the citation of the value it replaced.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from pydantic import ValidationError

from jiayuan.policy.schema import (
    CaseDeadline,
    Category,
    CategoryGroup,
    Department,
    Preset,
    Responsibility,
    ViolationType,
)

PRESET_DIR = Path(__file__).resolve().parent / "presets"
LIST_KEYS: dict[str, tuple[str, ...]] = {
    "departments": ("code",),
    "category_groups": ("code",),
    "categories": ("code",),
    "responsibilities": ("category", "region"),
    "violations": ("code",),
    "consequence_kinds": ("code",),
}


class PresetError(Exception):
    """A preset that cannot be used: the message names the file, the key and the reason."""


def preset_names() -> list[str]:
    return sorted(path.stem for path in PRESET_DIR.glob("*.toml"))


def resolve_path(name_or_path: str, relative_to: Path | None = None) -> Path:
    """A shipped preset's name, or a path (ending in .toml, or an existing file)."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.exists():
        if relative_to is not None and not candidate.is_absolute():
            return relative_to.parent / candidate
        return candidate
    return PRESET_DIR / f"{name_or_path}.toml"


def read_toml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise PresetError(f"{path}: no such preset file (shipped presets: {', '.join(preset_names())})")
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise PresetError(f"{path}: not valid TOML: {error}") from error
    check_unique_entries(path, data)
    return data


def ident(item: Any, key: tuple[str, ...]) -> str | None:
    """How an entry of a keyed list is named: its code, or `category@region` for a responsibility."""
    if not isinstance(item, dict) or not isinstance(item.get(key[0]), str):
        return None
    region = item.get("region", "") if len(key) > 1 else ""
    return f"{item[key[0]]}@{region}" if region else item[key[0]]


def check_unique_entries(path: Path, data: dict[str, Any]) -> None:
    for list_key, key in LIST_KEYS.items():
        items = data.get(list_key)
        if not isinstance(items, list):
            continue
        names = [ident(item, key) for item in items]
        dupes = sorted({n for n in names if n is not None and names.count(n) > 1})
        if dupes:
            raise PresetError(f"{path}: {list_key}[{dupes[0]}]: given twice in this file")


def merge(base: dict[str, Any], override: dict[str, Any], *, source: Path, where: str = "") -> dict[str, Any]:
    """`override` layered over `base`; `source` and `where` name the overriding file and table."""
    merged = dict(base)
    for key, value in override.items():
        path = f"{where}.{key}" if where else key
        if key in LIST_KEYS and not where and isinstance(value, list) and isinstance(base.get(key), list):
            merged[key] = merge_keyed(base[key], value, key, source=source)
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = merge(base[key], value, source=source, where=path)
        else:
            merged[key] = value
    require_own_clause(base, override, source=source, where=where)
    return merged


def merge_keyed(base: list[Any], override: list[Any], list_key: str, *, source: Path) -> list[Any]:
    key = LIST_KEYS[list_key]
    result: dict[Any, Any] = {}
    for index, item in enumerate(base):
        result[ident(item, key) or ("#", index)] = item
    for index, item in enumerate(override):
        name = ident(item, key) or ("#override", index)
        current = result.get(name)
        if isinstance(current, dict) and isinstance(item, dict):
            result[name] = merge(current, item, source=source, where=f"{list_key}[{name}]")
        else:
            result[name] = item
    return list(result.values())


def require_own_clause(base: dict[str, Any], override: dict[str, Any], *, source: Path, where: str) -> None:
    """A table that changes an inherited value must cite its own clause."""
    if "clause" not in base or "clause" in override:
        return
    changed = sorted(
        key
        for key, value in override.items()
        if not isinstance(value, dict) and base.get(key, _MISSING) != value
    )
    if changed:
        raise PresetError(
            f"{source}: {where}.clause: changes {', '.join(changed)} but gives no clause "
            f"(it would keep the inherited {base['clause']!r}); cite where the new value comes from"
        )


_MISSING = object()


def raw_preset(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The file's data merged over its ancestors', not yet validated."""
    if path.resolve() in seen:
        chain = " -> ".join(p.name for p in (*seen, path.resolve()))
        raise PresetError(f"{path}: meta.extends: circular inheritance ({chain})")
    data = read_toml(path)
    meta = data.get("meta")
    parent = meta.get("extends") if isinstance(meta, dict) else None
    if parent is None:
        return data
    if not isinstance(parent, str) or not parent:
        raise PresetError(f"{path}: meta.extends: must be a preset name or a path to a .toml file")
    for key in ("version", "effective_date", "effective_clause"):
        if not isinstance(meta, dict) or key not in meta:
            raise PresetError(
                f"{path}: meta.{key}: a preset that extends another states its own (every consequence "
                "records the preset's name and version; an inherited one would name the parent's)"
            )
    base = raw_preset(resolve_path(parent, relative_to=path), (*seen, path.resolve()))
    base_meta = {k: v for k, v in base.get("meta", {}).items() if k != "extends"}
    merged = merge({k: v for k, v in base.items() if k != "meta"}, data, source=path)
    merged["meta"] = {**base_meta, **meta} if isinstance(meta, dict) else meta
    return merged


def format_errors(path: Path, error: ValidationError, data: dict[str, Any]) -> str:
    """One line per problem: `file: key.path: reason`, list entries named by code, not position."""
    lines = []
    for item in error.errors():
        loc = list(item["loc"])
        key = ""
        node: Any = data
        for position, part in enumerate(loc):
            if isinstance(part, int):
                node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
                list_key = str(loc[position - 1]) if position else ""
                name = ident(node, LIST_KEYS[list_key]) if list_key in LIST_KEYS else None
                key += f"[{name or part}]"
            else:
                key += f".{part}" if key else str(part)
                node = node.get(part) if isinstance(node, dict) else None
        message = str(item["msg"]).removeprefix("Value error, ")
        if key:
            lines.append(f"{path}: {key}: {message}")
        else:
            lines.extend(f"{path}: {line}" for line in message.splitlines())
    return "\n".join(lines)


def load_preset(name_or_path: str) -> PolicyPreset:
    """Read, merge and validate a preset; `PresetError` says what is wrong and where."""
    path = resolve_path(name_or_path)
    data = raw_preset(path)
    try:
        return PolicyPreset(Preset.model_validate(data), source=path)
    except ValidationError as error:
        raise PresetError(format_errors(path, error, data)) from error


class PolicyPreset:
    """A validated preset with lookups. Obtain the deployment's with `active_preset()`."""

    def __init__(self, data: Preset, *, source: Path) -> None:
        self.data = data
        self.source = source
        self.categories: dict[str, Category] = {c.code: c for c in data.categories}
        self.category_groups: dict[str, CategoryGroup] = {g.code: g for g in data.category_groups}
        self.departments: dict[str, Department] = {d.code: d for d in data.departments}
        self.violations: dict[str, ViolationType] = {v.code: v for v in data.violations}
        self._lines: dict[str, list[Responsibility]] = {}
        for line in data.responsibilities:
            self._lines.setdefault(line.category, []).append(line)

    @property
    def name(self) -> str:
        return self.data.meta.name

    @property
    def key(self) -> str:
        return self.data.meta.key

    @property
    def version(self) -> str:
        return self.data.meta.version

    def enabled_rules(self) -> list[str]:
        """The preset keys of the consequence rules that are switched on, in a fixed order."""
        data = self.data
        switches = {
            "ladder": data.ladder.enabled,
            "credit.warning": data.credit.warning.enabled,
            "credit.consecutive": data.credit.consecutive.enabled,
            "credit.accumulated": data.credit.accumulated.enabled,
            "tender_ban": data.tender_ban.enabled,
            "warnings": data.warnings.enabled,
            "refusal_to_leave": data.refusal_to_leave.enabled,
            "satisfaction": data.satisfaction.enabled,
            "star_rating.low": data.star_rating.low.enabled,
            "star_rating.failing": data.star_rating.failing.enabled,
            "star_rating.repeat": data.star_rating.repeat.enabled,
        }
        return [key for key, on in switches.items() if on]

    def category(self, code: str) -> Category:
        return self.categories[code]

    def handler_name(self, handler: str) -> str:
        """The city's name for a handler: the department's name, or the label in [handlers]."""
        if handler.startswith("department:"):
            return self.departments[handler.split(":", 1)[1]].name
        label = getattr(self.data.handlers, handler)
        return str(label.name)

    def deadline_for(self, category: str, urgency: str) -> CaseDeadline:
        """The deadline line for a category and urgency: the category's own, its group's, or "*"."""
        lines: dict[tuple[str, str], CaseDeadline] = {
            (d.applies_to, d.urgency): d for d in self.data.cases.deadlines
        }
        group = self.categories[category].group if category in self.categories else None
        for key in (category, group, "*"):
            if key is not None and (key, urgency) in lines:
                return lines[(key, urgency)]
        raise KeyError((category, urgency))

    def responsibility_for(self, category: str, region_path: str) -> Responsibility:
        """The most specific line of the responsibility list for a category at a region path.

        `region_path` is a region's path ("640100000000/640104000000/640104001000/"). A line whose
        region is deeper on that path beats a shallower one; the city-wide line is the fallback.
        """
        codes = [code.ljust(12, "0") for code in region_path.split("/") if code]
        best: Responsibility | None = None
        best_depth = -1
        for line in self._lines.get(category, []):
            if not line.region:
                depth = 0
            elif line.region_code in codes:
                depth = codes.index(line.region_code) + 1
            else:
                continue
            if depth > best_depth:
                best, best_depth = line, depth
        if best is None:
            raise KeyError(category)
        return best


@cache
def active_preset() -> PolicyPreset:
    """The preset this deployment runs (setting JIAYUAN_POLICY_PRESET), loaded once."""
    return load_preset(settings.JIAYUAN_POLICY_PRESET)
