"""Import of the list of property service enterprises (物业服务企业名录) from xlsx.

One row is one enterprise, keyed by its unified social credit code (checked by GB 32100-2015 and
new to the register). The district it is registered in must lie in the actor's jurisdiction; it may
be left out only by those whose reach is the whole city (see `registered_region_needed`). Every row
is checked first; one bad row and nothing is written.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from jiayuan.audit.services import record_event
from jiayuan.core import permissions
from jiayuan.core.actor import Actor
from jiayuan.core.xlsx import Column, ImportResult, ReferenceSheet, Sheet, SheetSpec, Text
from jiayuan.core.xlsx.saving import save_imported
from jiayuan.enterprises.models import Enterprise
from jiayuan.enterprises.services import REGISTERED_REGION_NEEDED, registered_region_needed
from jiayuan.enterprises.uscc import build_uscc, validate_uscc
from jiayuan.imports.registry import ImportKind
from jiayuan.regions.choices import Level
from jiayuan.regions.models import Region

PHONE_PATTERNS = (
    re.compile(r"1[3-9]\d{9}"),  # mobile
    re.compile(r"0\d{9,11}"),  # area code (3-4 digits with the 0) and a 7-8 digit number
    re.compile(r"[48]00\d{7}"),  # 400 / 800 service numbers
    re.compile(r"[2-9]\d{6,7}"),  # a local number without its area code
)
PHONE_SEPARATORS = re.compile(r"[、/;；,，]")
PHONE_NOISE = re.compile(r"[\s\-—－()（）]")
PHONE_EXTENSION = re.compile(r"(转|ext\.?|x)\d{1,6}$", re.IGNORECASE)


def validate_phone(value: str) -> None:
    """One or more plausible Chinese phone numbers ("0951-1234567、13912345678", "400-123-4567 转 8")."""
    for number in PHONE_SEPARATORS.split(value):
        digits = PHONE_EXTENSION.sub("", PHONE_NOISE.sub("", number))
        digits = re.sub(r"^(\+?86)(?=1\d{10}$)", "", digits)
        if not any(pattern.fullmatch(digits) for pattern in PHONE_PATTERNS):
            raise ValidationError(
                _("“%(value)s” is not a phone number (mobile, area code and number, or 400/800).")
                % {"value": number.strip()}
            )


EXAMPLE_USCC = build_uscc("640104", "MA76QJ8L4")

ENTERPRISE_LIST = SheetSpec(
    title="物业服务企业名录",
    max_rows=5000,
    columns=(
        Column(
            "序号", "serial", Text(max_length=20), help=gettext_lazy("Not imported."), example="1", width=8
        ),
        Column(
            "企业名称",
            "name",
            Text(max_length=128),
            required=True,
            example="银川安居物业服务有限公司",
            width=32,
        ),
        Column(
            "统一社会信用代码",
            "uscc",
            Text(max_length=18, upper=True, validators=[validate_uscc]),
            required=True,
            help=gettext_lazy("18 characters, checked by GB 32100-2015."),
            example=EXAMPLE_USCC,
            width=24,
            aliases=("社会信用代码", "信用代码"),
        ),
        Column("法定代表人", "legal_representative", Text(max_length=64), example="王建国"),
        Column(
            "注册区县",
            "registered_region",
            Text(max_length=64),
            help=gettext_lazy(
                "The name or the division code of a district or county in your jurisdiction; "
                "required unless your jurisdiction is the whole city."
            ),
            example="兴庆区",
        ),
        Column("地址", "address", Text(max_length=200), example="兴庆区解放东街100号", width=30),
        Column(
            "服务电话",
            "phone",
            Text(max_length=32, validators=[validate_phone]),
            help=gettext_lazy("A mobile number, an area code and number, or a 400/800 number."),
            example="0951-6012345",
            width=18,
        ),
    ),
    notes=(gettext_lazy("An enterprise whose credit code is already registered cannot be imported again."),),
)
ENTERPRISE_FIELDS = ("uscc", "name", "legal_representative", "address", "phone")


def district_key(value: str) -> str:
    """A district given by code may be written with its 6 or 12 digits; a name is kept as it is."""
    return f"{value}000000" if re.fullmatch(r"\d{6}", value) else value


def find_districts(actor: Actor, sheet: Sheet) -> dict[int, Region]:
    """The registered district of each row that gives one, by row number; errors for the rest."""
    keys = {district_key(row["registered_region"]) for row in sheet.rows if row["registered_region"]}
    districts = Region.objects.filter(level=Level.DISTRICT).filter(Q(code__in=keys) | Q(name__in=keys))
    by_key: dict[str, list[Region]] = {}
    for district in districts:
        by_key.setdefault(district.code, []).append(district)
        by_key.setdefault(district.name, []).append(district)
    found: dict[int, Region] = {}
    scope = actor.scope_for(permissions.ENTERPRISES_IMPORT)
    for row in sheet.rows:
        if not row["registered_region"]:
            continue
        matches = by_key.get(district_key(row["registered_region"]), [])
        if len(matches) != 1:
            message = (
                _("No district or county is named or coded %(name)s.")
                if not matches
                else _("Several districts are named %(name)s; give the division code instead.")
            )
            sheet.add_error(row, "registered_region", message % {"name": row["registered_region"]})
        elif not scope.covers_path(matches[0].path):
            sheet.add_error(
                row,
                "registered_region",
                _("%(name)s is not in your jurisdiction.") % {"name": matches[0].name},
            )
        else:
            found[row.number] = matches[0]
    return found


def check_districts_given(actor: Actor, sheet: Sheet) -> None:
    """Below city level every row must give its district: see `registered_region_needed`."""
    if not registered_region_needed(actor, permissions.ENTERPRISES_IMPORT):
        return
    if "registered_region" not in sheet.letters:  # the column is not in the file at all
        sheet.add_error(sheet.header_row, "registered_region", REGISTERED_REGION_NEEDED)
        return
    for row in sheet.rows:
        if not row["registered_region"] and "registered_region" not in row.bad:
            sheet.add_error(row, "registered_region", REGISTERED_REGION_NEEDED)


def check_duplicates(sheet: Sheet) -> None:
    """A credit code may appear once: in the file and in the register."""
    rows = [row for row in sheet.rows if "uscc" not in row.bad]
    existing = dict(
        Enterprise.objects.filter(uscc__in={row["uscc"] for row in rows}).values_list("uscc", "name")
    )
    first_row: dict[str, int] = {}
    for row in rows:
        if row["uscc"] in existing:
            sheet.add_error(
                row,
                "uscc",
                _("The code %(uscc)s is already registered, for %(name)s.")
                % {"uscc": row["uscc"], "name": existing[row["uscc"]]},
            )
        elif row["uscc"] in first_row:
            sheet.add_error(
                row,
                "uscc",
                _("The code %(uscc)s is already in row %(row)d of this file.")
                % {"uscc": row["uscc"], "row": first_row[row["uscc"]]},
            )
        else:
            first_row[row["uscc"]] = row.number


def check_rows(actor: Actor, sheet: Sheet) -> list[Enterprise]:
    """Check every row; the unsaved enterprises of the rows (complete only if there are no errors)."""
    check_districts_given(actor, sheet)
    districts = find_districts(actor, sheet)
    check_duplicates(sheet)
    enterprises = []
    for row in sheet.rows:
        enterprise = Enterprise(
            registered_region=districts.get(row.number), **{name: row[name] for name in ENTERPRISE_FIELDS}
        )
        try:
            # Uniqueness was checked in bulk above, and the district resolved: skip their queries.
            enterprise.full_clean(
                exclude=["registered_region"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name not in row.bad:
                    sheet.add_error(row, name, " ".join(messages))
        enterprises.append(enterprise)
    return enterprises


@transaction.atomic
def enterprise_import(*, actor: Actor, file: Any) -> ImportResult:
    """Register every enterprise of a list, or none: see the module docstring."""
    actor.require(permissions.ENTERPRISES_IMPORT)
    sheet = ENTERPRISE_LIST.read(file)
    enterprises = check_rows(actor, sheet)
    sheet.raise_if_errors()
    created = save_imported(
        actor=actor,
        model=Enterprise,
        objects=enterprises,
        file_name=sheet.file_name,
        conflict=_("Some of these enterprises were registered meanwhile; check and import again."),
    )
    ids = tuple(enterprise.pk for enterprise in created)
    record_event(
        actor=actor,
        action="enterprises.imported",
        data={
            "file_name": sheet.file_name,
            "rows": len(sheet.rows),
            "created": len(ids),
            "enterprise_ids": list(ids),
        },
    )
    return ImportResult(created=len(ids), file_name=sheet.file_name, ids=ids)


def district_reference(actor: Actor | None) -> ReferenceSheet | None:
    """The districts the actor may register enterprises in, with their codes."""
    if actor is None:
        return None
    scope = actor.scope_for(permissions.ENTERPRISES_IMPORT)
    districts = [
        district
        for district in Region.objects.visible_to(actor).filter(level=Level.DISTRICT).order_by("path")
        if scope.covers_path(district.path)
    ]
    return ReferenceSheet(
        title="区县代码",
        headers=("区县", "区划代码"),
        rows=[(district.name, district.code) for district in districts],
    )


def enterprise_template(*, actor: Actor | None = None) -> bytes:
    """The empty list of enterprises. For an actor, the example district is one of theirs."""
    reference = district_reference(actor)
    example = {"registered_region": reference.rows[0][0]} if reference and reference.rows else {}
    return ENTERPRISE_LIST.template(example=example, reference=reference)


def enterprise_import_message(result: ImportResult) -> str:
    return ngettext(
        "Imported %(count)d enterprise from %(file)s.",
        "Imported %(count)d enterprises from %(file)s.",
        result.created,
    ) % {"count": result.created, "file": result.file_name}


# What the worker runs for a large file uploaded on the import page (jiayuan/imports); registered
# from the AppConfig's ready.
ENTERPRISE_IMPORT = ImportKind(
    name="enterprises",
    label=gettext_lazy("List of property service enterprises"),
    spec=ENTERPRISE_LIST,
    permission=permissions.ENTERPRISES_IMPORT,
    run=enterprise_import,
    success_message=enterprise_import_message,
    success_url_name="enterprises:list",
)
