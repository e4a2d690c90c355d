"""Loading and validating policy presets.

A preset is a TOML file under `presets/` (or any path). `extends = "<name>"` in `[meta]` layers it
over another preset: tables merge key by key, lists of coded entries merge by `code` (and the
responsibility list by category and region), so a city file only states what differs. A deployment
overrides values the same way, with its own file that extends a shipped preset.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from pydantic import ValidationError

from jiayuan.policy.schema import Category, Department, Preset, Responsibility

PRESET_DIR = Path(__file__).resolve().parent / "presets"
LIST_KEYS = {
    "departments": ("code",),
    "category_groups": ("code",),
    "categories": ("code",),
    "responsibilities": ("category", "region"),
}


class PresetError(Exception):
    """A preset that cannot be used: the message names the file, the key and the reason."""


def preset_names() -> list[str]:
    return sorted(path.stem for path in PRESET_DIR.glob("*.toml"))


def resolve_path(name_or_path: str) -> Path:
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.exists():
        return candidate
    return PRESET_DIR / f"{name_or_path}.toml"


def read_toml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise PresetError(f"{path}: no such preset file (known presets: {', '.join(preset_names())})")
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise PresetError(f"{path}: not valid TOML: {error}") from error


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if key in LIST_KEYS and isinstance(value, list) and isinstance(base.get(key), list):
            merged[key] = merge_keyed(base[key], value, LIST_KEYS[key])
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = merge(base[key], value)
        else:
            merged[key] = value
    return merged


def merge_keyed(base: list[Any], override: list[Any], key: tuple[str, ...]) -> list[Any]:
    def ident(item: Any) -> tuple[Any, ...]:
        return tuple(item.get(k, "") for k in key) if isinstance(item, dict) else (id(item),)

    result = {ident(item): item for item in base}
    for item in override:
        current = result.get(ident(item))
        result[ident(item)] = merge(current, item) if isinstance(current, dict) else item
    return list(result.values())


def raw_preset(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    if path.resolve() in seen:
        raise PresetError(f"{path}: meta.extends: circular inheritance")
    data = read_toml(path)
    parent = data.get("meta", {}).get("extends") if isinstance(data.get("meta"), dict) else None
    if not parent:
        return data
    if not isinstance(parent, str):
        raise PresetError(f"{path}: meta.extends: must be a preset name")
    base = raw_preset(resolve_path(parent), (*seen, path.resolve()))
    base_meta = {k: v for k, v in base.get("meta", {}).items() if k != "extends"}
    merged = merge(base, data)
    merged["meta"] = {**base_meta, **data["meta"]}
    return merged


def format_errors(path: Path, error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"]) or "(preset)"
        lines.append(f"{path}: {key}: {item['msg']}")
    return "\n".join(lines)


def load_preset(name_or_path: str) -> PolicyPreset:
    path = resolve_path(name_or_path)
    data = raw_preset(path)
    try:
        return PolicyPreset(Preset.model_validate(data), source=path)
    except ValidationError as error:
        raise PresetError(format_errors(path, error)) from error


class PolicyPreset:
    """A validated preset with lookups. Obtain the deployment's with `active_preset()`."""

    def __init__(self, data: Preset, *, source: Path) -> None:
        self.data = data
        self.source = source
        self.categories: dict[str, Category] = {c.code: c for c in data.categories}
        self.departments: dict[str, Department] = {d.code: d for d in data.departments}

    @property
    def name(self) -> str:
        return self.data.meta.name

    @property
    def key(self) -> str:
        return self.data.meta.key

    def category(self, code: str) -> Category:
        return self.categories[code]

    def responsibility_for(self, category: str, region_path: str) -> Responsibility:
        """The most specific line of the responsibility list for a category at a region path."""
        codes = [code for code in region_path.split("/") if code]
        best: Responsibility | None = None
        best_depth = -1
        for line in self.data.responsibilities:
            if line.category != category:
                continue
            depth = (
                0
                if not line.region
                else next((i + 1 for i, code in enumerate(codes) if code.startswith(line.region)), -1)
            )
            if depth > best_depth:
                best, best_depth = line, depth
        if best is None:
            raise KeyError(category)
        return best


@cache
def active_preset() -> PolicyPreset:
    """The preset this deployment runs (setting JIAYUAN_POLICY_PRESET), loaded once."""
    return load_preset(settings.JIAYUAN_POLICY_PRESET)
