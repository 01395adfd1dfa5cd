"""The register app's models, taken over from verification (state only)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _content_types_follow(apps, schema_editor):
    """The models' content types (and so their permissions) move with them, unless the
    register's own were made already."""
    content_type = apps.get_model("contenttypes", "ContentType")
    models_moved = ["registersnapshot", "registerrecord", "registerloadjob"]
    if content_type.objects.filter(app_label="register", model__in=models_moved).exists():
        return
    content_type.objects.filter(app_label="verification", model__in=models_moved).update(
        app_label="register"
    )


def _content_types_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    models_moved = ["registersnapshot", "registerrecord", "registerloadjob"]
    if content_type.objects.filter(app_label="verification", model__in=models_moved).exists():
        return
    content_type.objects.filter(app_label="register", model__in=models_moved).update(
        app_label="verification"
    )


class Migration(migrations.Migration):
    """The welfare register's models, moved out of the verification app without touching the
    database: their tables keep their names (`verification_registersnapshot`, ...) and their
    indexes, made by verification's migrations 0001-0006 (this one runs after them). Only
    Django's model state changes here; verification 0007 then points its foreign keys at
    these models and forgets its own copies."""

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("verification", "0006_register_record_deceased"),
        ("accounts", "0001_initial"),
        ("regions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RegisterSnapshot",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "source",
                            models.CharField(
                                choices=[("dtks", "DTKS"), ("dtsen", "DTSEN"), ("p3ke", "P3KE")],
                                max_length=8,
                                verbose_name="sumber",
                            ),
                        ),
                        ("as_of", models.DateField(verbose_name="keadaan per")),
                        ("file_name", models.CharField(max_length=255, verbose_name="nama file")),
                        ("sha256", models.CharField(max_length=64)),
                        (
                            "region_code_style",
                            models.CharField(
                                choices=[
                                    ("kemendagri", "kode Kemendagri"),
                                    ("bps", "kode BPS"),
                                    ("names", "nama wilayah"),
                                ],
                                default="names",
                                max_length=12,
                                verbose_name="bentuk kode wilayah",
                            ),
                        ),
                        (
                            "rows",
                            models.PositiveIntegerField(default=0, verbose_name="jumlah baris"),
                        ),
                        (
                            "rejected",
                            models.PositiveIntegerField(default=0, verbose_name="baris ditolak"),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "loaded_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "pemda",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.pemda",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "salinan data kesejahteraan",
                        "verbose_name_plural": "salinan data kesejahteraan",
                        "db_table": "verification_registersnapshot",
                        "ordering": ["-as_of", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="RegisterLoadJob",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("file_name", models.CharField(max_length=255, verbose_name="nama file")),
                        ("stored_path", models.CharField(max_length=255)),
                        ("size", models.PositiveBigIntegerField(default=0)),
                        ("sha256", models.CharField(max_length=64)),
                        (
                            "source",
                            models.CharField(
                                choices=[("dtks", "DTKS"), ("dtsen", "DTSEN"), ("p3ke", "P3KE")],
                                max_length=8,
                                verbose_name="sumber",
                            ),
                        ),
                        ("as_of", models.DateField(verbose_name="keadaan per")),
                        (
                            "region_code_style",
                            models.CharField(
                                choices=[
                                    ("kemendagri", "kode Kemendagri"),
                                    ("bps", "kode BPS"),
                                    ("names", "nama wilayah"),
                                ],
                                max_length=12,
                                verbose_name="bentuk kode wilayah",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Menunggu"),
                                    ("running", "Diproses"),
                                    ("done", "Selesai"),
                                    ("failed", "Gagal"),
                                ],
                                default="queued",
                                max_length=8,
                                verbose_name="status",
                            ),
                        ),
                        ("message", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "pemda",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.pemda",
                            ),
                        ),
                        (
                            "snapshot",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="register.registersnapshot",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "pemuatan data kesejahteraan",
                        "verbose_name_plural": "pemuatan data kesejahteraan",
                        "db_table": "verification_registerloadjob",
                        "ordering": ["-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="RegisterRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "register_id",
                            models.CharField(blank=True, max_length=64, verbose_name="ID register"),
                        ),
                        ("nik", models.CharField(blank=True, max_length=32, verbose_name="NIK")),
                        (
                            "kk",
                            models.CharField(blank=True, max_length=32, verbose_name="nomor KK"),
                        ),
                        ("name", models.TextField(blank=True, verbose_name="nama")),
                        ("birth_place", models.TextField(blank=True, verbose_name="tempat lahir")),
                        (
                            "birth_date",
                            models.DateField(blank=True, null=True, verbose_name="tanggal lahir"),
                        ),
                        (
                            "sex",
                            models.CharField(
                                blank=True, max_length=1, verbose_name="jenis kelamin"
                            ),
                        ),
                        ("address", models.TextField(blank=True, verbose_name="alamat")),
                        ("rt", models.CharField(blank=True, max_length=8, verbose_name="RT")),
                        ("rw", models.CharField(blank=True, max_length=8, verbose_name="RW")),
                        ("desil", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("occupation", models.TextField(blank=True, verbose_name="pekerjaan")),
                        ("raw", models.JSONField(default=list)),
                        ("issues", models.JSONField(default=list)),
                        (
                            "deceased",
                            models.BooleanField(
                                db_default=False,
                                default=False,
                                verbose_name="meninggal menurut register",
                            ),
                        ),
                        (
                            "district",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                db_index=False,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="regions.region",
                            ),
                        ),
                        (
                            "pemda",
                            models.ForeignKey(
                                db_constraint=False,
                                db_index=False,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.pemda",
                            ),
                        ),
                        (
                            "village",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                db_index=False,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="regions.region",
                            ),
                        ),
                        (
                            "snapshot",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="records",
                                to="register.registersnapshot",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "baris data kesejahteraan",
                        "verbose_name_plural": "baris data kesejahteraan",
                        "db_table": "verification_registerrecord",
                        "indexes": [
                            models.Index(fields=["snapshot", "nik"], name="verif_record_snap_nik"),
                            models.Index(
                                fields=["snapshot", "register_id"], name="verif_record_snap_regid"
                            ),
                            models.Index(
                                fields=["snapshot", "birth_date", "sex"],
                                name="verif_record_snap_bd_sex",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(_content_types_follow, _content_types_back),
    ]
