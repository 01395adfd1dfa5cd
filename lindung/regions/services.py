"""Loading the Kemendagri region tree that ships with the product (lindung/data/wilayah)."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from lindung.audit.services import audit_record
from lindung.regions.models import Region, RegionLevel
from lindung.regions.naming import region_key

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "wilayah"
_FILES = (
    ("provinces.csv", RegionLevel.PROVINCE, None),
    ("regencies.csv", RegionLevel.REGENCY, "province_code"),
    ("districts.csv", RegionLevel.DISTRICT, "regency_code"),
    ("villages.csv", RegionLevel.VILLAGE, "district_code"),
)


def regions_load(*, data_dir: Path = DATA_DIR, province: str | None = None) -> dict[str, int]:
    """Insert the regions not yet in the database; rename those whose name changed.

    Idempotent, in one transaction. `province` ("35") limits the load to one province, which
    keeps test databases small.
    """
    counts: dict[str, int] = {}
    with transaction.atomic():
        existing = dict(Region.objects.values_list("code", "name"))
        for filename, level, parent_column in _FILES:
            new: list[Region] = []
            renamed: list[Region] = []
            with (data_dir / filename).open(encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    code = row["code"]
                    if province and not code.startswith(province):
                        continue
                    region = Region(
                        code=code,
                        name=row["name"],
                        level=level,
                        parent_id=row[parent_column] if parent_column else None,
                        search_key=region_key(row["name"]),
                    )
                    if code not in existing:
                        new.append(region)
                    elif existing[code] != row["name"]:
                        renamed.append(region)
            Region.objects.bulk_create(new, batch_size=2000)
            Region.objects.bulk_update(renamed, ["name", "search_key"], batch_size=2000)
            counts[str(RegionLevel(level).label)] = len(new) + len(renamed)
        audit_record(
            actor=None,
            action="region.loaded",
            changes={"province": province or "semua", "counts": counts},
            label="Wilayah Kemendagri",
        )
    return counts
