"""Import of the baseline ledger of estates (住宅小区物业管理情况摸底统计台账) from xlsx.

One row is one estate. Its community is given by its 12-digit division code (社区代码), which wins
when present, or by the chain of names 区县 > 街道(乡镇) > 社区(村); it must lie in the actor's
jurisdiction. Every row is checked first; one bad row and nothing is written.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from jiayuan.audit.services import record_event
from jiayuan.core import permissions
from jiayuan.core.actor import Actor
from jiayuan.core.xlsx import (
    Choice,
    Column,
    ImportResult,
    Integer,
    Number,
    ReferenceSheet,
    Row,
    Sheet,
    SheetSpec,
    Text,
    Year,
    code,
)
from jiayuan.core.xlsx.saving import save_imported
from jiayuan.estates.choices import EstateType, ManagementMode
from jiayuan.estates.models import Estate
from jiayuan.imports.registry import ImportKind
from jiayuan.regions.choices import Level
from jiayuan.regions.models import Region

# The labels of the ledger, spelled out here: they are what the clerks' spreadsheets contain,
# whatever the interface language (the choices' own labels are English msgids).
MANAGEMENT_MODE_LABELS: dict[str, str] = {
    ManagementMode.ENTERPRISE: "物业服务企业",
    ManagementMode.QUASI_PROPERTY: "准物业",
    ManagementMode.CUSTODIAL: "居委会代管",
    ManagementMode.SELF_MANAGED: "业主自管",
}
MANAGEMENT_MODE_ALIASES: dict[str, str] = {
    "物业企业": ManagementMode.ENTERPRISE,
    "物业公司": ManagementMode.ENTERPRISE,
    "专业化物业服务": ManagementMode.ENTERPRISE,
    "准物业服务": ManagementMode.QUASI_PROPERTY,
    "准物业管理": ManagementMode.QUASI_PROPERTY,
    "社区代管": ManagementMode.CUSTODIAL,
    "村委会代管": ManagementMode.CUSTODIAL,
    "居（村）委会代管": ManagementMode.CUSTODIAL,
    "自管": ManagementMode.SELF_MANAGED,
    "业主自治": ManagementMode.SELF_MANAGED,
}
ESTATE_TYPE_LABELS: dict[str, str] = {
    EstateType.COMMERCIAL: "商品房",
    EstateType.REFORMED_PUBLIC: "房改房",
    EstateType.AFFORDABLE: "保障性住房",
    EstateType.OLD_ESTATE: "老旧小区",
    EstateType.RESETTLEMENT: "安置房",
    EstateType.OTHER: "其他",
}
ESTATE_TYPE_ALIASES: dict[str, str] = {
    "商品住宅": EstateType.COMMERCIAL,
    "商品房小区": EstateType.COMMERCIAL,
    "保障房": EstateType.AFFORDABLE,
    "回迁房": EstateType.RESETTLEMENT,
    "拆迁安置房": EstateType.RESETTLEMENT,
    "老旧住宅小区": EstateType.OLD_ESTATE,
}

COMMUNITY_CODE_HELP = gettext_lazy(
    "The community's division code (see the sheet 社区代码); when it is given, the names are not needed."
)
NAMES_HELP = gettext_lazy("Needed when 社区代码 is empty; spelled as on the sheet 社区代码.")

ESTATE_LEDGER = SheetSpec(
    title="小区摸底台账",
    max_rows=5000,
    columns=(
        Column(
            "序号", "serial", Text(max_length=20), help=gettext_lazy("Not imported."), example="1", width=8
        ),
        Column("区县", "district_name", Text(max_length=64), help=NAMES_HELP, example="兴庆区"),
        Column(
            "街道（乡镇）",
            "subdistrict_name",
            Text(max_length=64),
            help=NAMES_HELP,
            example="凤凰北街街道",
            aliases=("街道", "乡镇"),
        ),
        Column(
            "社区（村）",
            "community_name",
            Text(max_length=64),
            help=NAMES_HELP,
            example="银古社区",
            aliases=("社区", "村"),
        ),
        Column(
            "社区代码",
            "community_code",
            code(r"\d{12}", pattern_help=gettext_lazy("A division code has 12 digits.")),
            help=COMMUNITY_CODE_HELP,
            example="640104001001",
            aliases=("社区（村）代码", "区划代码"),
        ),
        Column("小区名称", "name", Text(max_length=100), required=True, example="阳光花园", width=24),
        Column("小区地址", "address", Text(max_length=200), required=True, example="阳光路18号", width=30),
        Column(
            "管理模式",
            "management_mode",
            Choice(list(MANAGEMENT_MODE_LABELS.items()), aliases=MANAGEMENT_MODE_ALIASES),
            required=True,
            example=MANAGEMENT_MODE_LABELS[ManagementMode.ENTERPRISE],
            width=16,
        ),
        Column(
            "小区类型",
            "estate_type",
            Choice(list(ESTATE_TYPE_LABELS.items()), aliases=ESTATE_TYPE_ALIASES),
            required=True,
            example=ESTATE_TYPE_LABELS[EstateType.COMMERCIAL],
        ),
        Column("建成年份", "year_built", Year(), example=2010),
        Column(
            "房屋套数",
            "unit_count",
            Integer(min_value=1, max_value=100000, units=("套", "户")),
            required=True,
            example=480,
        ),
        Column(
            "专有部分总面积（㎡）",
            "total_exclusive_area",
            Number(
                places=2,
                min_value=Decimal("0.01"),
                max_value=Decimal("9999999999.99"),
                units=("㎡", "m²", "m2", "平方米"),
            ),
            required=True,
            example=Decimal("52340.50"),
            aliases=("专有部分总面积（m2）", "专有部分总面积（平方米）", "专有部分总面积"),
            width=22,
        ),
        # Within China's extent: a value outside it is usually longitude and latitude swapped.
        Column(
            "经度",
            "longitude",
            Number(places=6, min_value=Decimal("73"), max_value=Decimal("136"), round_places=True),
            example=Decimal("106.278530"),
        ),
        Column(
            "纬度",
            "latitude",
            Number(places=6, min_value=Decimal("3"), max_value=Decimal("54"), round_places=True),
            example=Decimal("38.466370"),
        ),
    ),
    notes=(
        gettext_lazy(
            "Give each estate's community by its code (社区代码), or by the names of its district, "
            "subdistrict and community exactly as the platform spells them (see the sheet 社区代码)."
        ),
        gettext_lazy("An estate already registered in the same community cannot be imported again."),
    ),
)
NAME_COLUMNS = ("district_name", "subdistrict_name", "community_name")

ESTATE_FIELDS = (
    "name",
    "address",
    "management_mode",
    "estate_type",
    "year_built",
    "unit_count",
    "total_exclusive_area",
    "longitude",
    "latitude",
)


class CommunityFinder:
    """Finds the community of each row from the regions of the file's codes and names (one query)."""

    def __init__(self, rows: list[Row]) -> None:
        codes = {row["community_code"] for row in rows if row["community_code"]}
        names = {row[name] for row in rows for name in NAME_COLUMNS if row[name]}
        regions = Region.objects.only("pk", "code", "name", "level", "parent_id", "path")
        if len(codes) + len(names) <= 500:  # else one city's regions (a few thousand) beat a huge IN list
            regions = regions.filter(Q(code__in=codes) | Q(name__in=names))
        self.by_code = {region.code: region for region in regions}
        self.districts: dict[str, list[Region]] = defaultdict(list)
        self.children: dict[tuple[int | None, str, str], Region] = {}
        for region in regions:
            if region.level == Level.DISTRICT:
                self.districts[region.name].append(region)
            self.children[(region.parent_id, region.level, region.name)] = region

    def find(self, sheet: Sheet, row: Row) -> Region | None:
        """The row's community, or None after recording why not."""
        if row["community_code"]:
            region = self.by_code.get(row["community_code"])
            if region is None or region.level != Level.COMMUNITY:
                sheet.add_error(
                    row,
                    "community_code",
                    _("No community has the code %(code)s.") % {"code": row["community_code"]},
                )
                return None
            return region
        if "community_code" in row.bad or any(name in row.bad for name in NAME_COLUMNS):
            return None
        for name in NAME_COLUMNS:
            if not row[name]:
                sheet.add_error(
                    row,
                    name,
                    _("Give the district, subdistrict and community names, or the community code."),
                )
                return None
        return self.find_by_names(sheet, row)

    def find_by_names(self, sheet: Sheet, row: Row) -> Region | None:
        districts = self.districts.get(row["district_name"], [])
        if len(districts) != 1:
            message = (
                _("No district or county is named %(name)s.")
                if not districts
                else _("Several districts are named %(name)s; give the community code instead.")
            )
            sheet.add_error(row, "district_name", message % {"name": row["district_name"]})
            return None
        subdistrict = self.children.get((districts[0].pk, Level.SUBDISTRICT, row["subdistrict_name"]))
        if subdistrict is None:
            sheet.add_error(
                row,
                "subdistrict_name",
                _("%(district)s has no subdistrict or town named %(name)s.")
                % {"district": districts[0].name, "name": row["subdistrict_name"]},
            )
            return None
        community = self.children.get((subdistrict.pk, Level.COMMUNITY, row["community_name"]))
        if community is None:
            sheet.add_error(
                row,
                "community_name",
                _("%(subdistrict)s has no community or village named %(name)s.")
                % {"subdistrict": subdistrict.name, "name": row["community_name"]},
            )
        return community


def check_rows(actor: Actor, sheet: Sheet) -> list[Estate]:
    """Resolve and check every row; the unsaved estates of the rows (complete only if no errors)."""
    finder = CommunityFinder(sheet.rows)
    # Where the actor may import, not merely see: another membership's reach does not count.
    scope = actor.scope_for(permissions.ESTATES_IMPORT)
    located: list[tuple[Row, Region]] = []
    for row in sheet.rows:
        community = finder.find(sheet, row)
        if community is None:
            continue
        if not scope.covers_path(community.path):
            where = "community_code" if row["community_code"] else "community_name"
            sheet.add_error(row, where, _("%(name)s is not in your jurisdiction.") % {"name": community.name})
            continue
        pair_parsed = not row.bad.intersection({"longitude", "latitude"})
        if pair_parsed and (row["longitude"] is None) != (row["latitude"] is None):
            missing = "latitude" if row["latitude"] is None else "longitude"
            sheet.add_error(row, missing, _("Give both longitude and latitude, or neither."))
        located.append((row, community))
    check_duplicates(sheet, [(row, community) for row, community in located if "name" not in row.bad])
    estates = []
    for row, community in located:
        estate = Estate(community=community, **{name: row[name] for name in ESTATE_FIELDS})
        try:
            # The community was resolved above and uniqueness checked in bulk: skip their queries.
            estate.full_clean(exclude=["community"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name not in row.bad:
                    sheet.add_error(row, name, " ".join(messages))
        estates.append(estate)
    return estates


def check_duplicates(sheet: Sheet, located: list[tuple[Row, Region]]) -> None:
    """An estate name may appear once per community: in the file and in the register."""
    existing = set(
        Estate.objects.filter(community_id__in={community.pk for _row, community in located}).values_list(
            "community_id", "name"
        )
    )
    first_row: dict[tuple[int, str], int] = {}
    for row, community in located:
        key = (community.pk, row["name"])
        if key in existing:
            sheet.add_error(
                row,
                "name",
                _("%(community)s already has an estate named %(name)s.")
                % {"community": community.name, "name": row["name"]},
            )
        elif key in first_row:
            sheet.add_error(
                row,
                "name",
                _("%(name)s of %(community)s is already in row %(row)d of this file.")
                % {"name": row["name"], "community": community.name, "row": first_row[key]},
            )
        else:
            first_row[key] = row.number


@transaction.atomic
def estate_import(*, actor: Actor, file: Any) -> ImportResult:
    """Register every estate of a baseline ledger, or none: see the module docstring."""
    actor.require(permissions.ESTATES_IMPORT)
    sheet = ESTATE_LEDGER.read(file)
    estates = check_rows(actor, sheet)
    sheet.raise_if_errors()
    created = save_imported(
        actor=actor,
        model=Estate,
        objects=estates,
        file_name=sheet.file_name,
        conflict=_("Some of these estates were registered meanwhile; check and import again."),
    )
    ids = tuple(estate.pk for estate in created)
    record_event(
        actor=actor,
        action="estates.imported",
        data={
            "file_name": sheet.file_name,
            "rows": len(sheet.rows),
            "created": len(ids),
            "communities": len({estate.community_id for estate in created}),
            "estate_ids": list(ids),
        },
    )
    return ImportResult(created=len(ids), file_name=sheet.file_name, ids=ids)


def community_reference(actor: Actor | None) -> ReferenceSheet | None:
    """The communities the actor may import into, with their codes, as a sheet of the template."""
    if actor is None:
        return None
    scope = actor.scope_for(permissions.ESTATES_IMPORT)
    regions = list(Region.objects.visible_to(actor).order_by("path")[:20000])
    by_code = {region.code: region for region in regions}
    ancestors = {code for region in regions for code in region.ancestor_codes()} - set(by_code)
    by_code.update({region.code: region for region in Region.objects.filter(code__in=ancestors)})
    rows = []
    for region in regions:
        if region.level != Level.COMMUNITY or not scope.covers_path(region.path):
            continue
        chain = [by_code[c].name if c in by_code else "" for c in region.ancestor_codes()]
        rows.append([*chain[-2:], region.name, region.code])
    return ReferenceSheet(
        title="社区代码", headers=("区县", "街道（乡镇）", "社区（村）", "社区代码"), rows=rows
    )


def estate_template(*, actor: Actor | None = None) -> bytes:
    """The empty baseline ledger. For an actor, the example row and the code sheet are theirs."""
    reference = community_reference(actor)
    example: dict[str, Any] = {}
    if reference is not None and reference.rows:
        district, subdistrict, community, community_code = reference.rows[0]
        example = {
            "district_name": district,
            "subdistrict_name": subdistrict,
            "community_name": community,
            "community_code": community_code,
        }
    return ESTATE_LEDGER.template(example=example, reference=reference)


def estate_import_message(result: ImportResult) -> str:
    return ngettext(
        "Imported %(count)d estate from %(file)s.",
        "Imported %(count)d estates from %(file)s.",
        result.created,
    ) % {"count": result.created, "file": result.file_name}


# What the worker runs for a large file uploaded on the import page (jiayuan/imports); registered
# from the AppConfig's ready.
ESTATE_IMPORT = ImportKind(
    name="estates",
    label=gettext_lazy("Baseline ledger of estates"),
    spec=ESTATE_LEDGER,
    permission=permissions.ESTATES_IMPORT,
    run=estate_import,
    success_message=estate_import_message,
    success_url_name="estates:list",
)
