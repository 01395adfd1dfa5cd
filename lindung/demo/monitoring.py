"""The demo's workforce figures and coverage target: a BPS-like table of the working
population per district of Tulungagung (title rows, "Kec." names, Indonesian thousand
separators, a "Jumlah" row) loaded through `monitoring.workforce_load`, and the Pemda's
target beside East Java's rate. The figures are illustrative, of the size BPS publishes."""

from __future__ import annotations

import csv
import tempfile
from decimal import Decimal
from pathlib import Path

from lindung.accounts.models import Pemda, Role, User
from lindung.monitoring.workforce import coverage_target_set, regions_of, workforce_load

# Working population per district, in Kemendagri code order (569.150 in all).
WORKING = (
    41_250, 38_120, 44_610, 27_340, 29_880, 21_470, 24_930, 26_150, 31_420, 39_760,
    41_980, 13_620, 36_870, 33_540, 20_310, 30_940, 25_470, 28_690, 12_800,
)  # fmt: skip
EAST_JAVA_RATE = "33.40"  # issue 14: East Java's coverage beside Gresik's 39,16 %
TARGET_RATE = "12.00"


def demo_monitoring(*, pemda: Pemda, year: int) -> None:
    admin = User.objects.filter(pemda=pemda, role=Role.ADMIN).order_by("pk").first()
    if admin is None:
        return
    districts, _villages = regions_of(pemda)
    with tempfile.TemporaryDirectory(prefix="lindung-demo-") as tmp:
        path = Path(tmp) / f"bps-penduduk-bekerja-{year}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            out = csv.writer(handle, delimiter=";")
            out.writerow([f"Penduduk Berumur 15 Tahun ke Atas yang Bekerja, {year}"])
            out.writerow(["Sumber: BPS Kabupaten Tulungagung (angka contoh)"])
            out.writerow(["Kecamatan", "Penduduk Bekerja", "Pekerja Bukan Penerima Upah"])
            for (_code, name), working in zip(districts, WORKING, strict=False):
                informal = working * 57 // 100
                out.writerow([f"Kec. {name}", f"{working:,}".replace(",", "."), informal])
            out.writerow(["Jumlah", f"{sum(WORKING):,}".replace(",", "."), ""])
        workforce_load(
            actor=admin,
            pemda=pemda,
            path=path,
            filename=path.name,
            year=year,
            source=f"BPS Kabupaten Tulungagung {year} (angka contoh)",
        )
    coverage_target_set(
        actor=admin,
        pemda=pemda,
        year=year,
        target_rate=Decimal(TARGET_RATE),
        province_rate=Decimal(EAST_JAVA_RATE),
        note="Target RPJMD (contoh); cakupan Jawa Timur 33,4 %",
    )
