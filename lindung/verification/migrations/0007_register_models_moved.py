"""The register's models moved to the register app (state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The register's models now live in the register app (register 0001): the foreign keys
    of runs and verdicts point there, and verification forgets its copies. State only: the
    tables, their constraints and indexes stay exactly as they were."""

    dependencies = [
        ("register", "0001_initial"),
        ("verification", "0006_register_record_deceased"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="registerrecord",
                    name="district",
                ),
                migrations.RemoveField(
                    model_name="registerrecord",
                    name="pemda",
                ),
                migrations.RemoveField(
                    model_name="registerrecord",
                    name="snapshot",
                ),
                migrations.RemoveField(
                    model_name="registerrecord",
                    name="village",
                ),
                migrations.AlterField(
                    model_name="rowverdict",
                    name="record",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="register.registerrecord",
                    ),
                ),
                migrations.RemoveField(
                    model_name="registersnapshot",
                    name="loaded_by",
                ),
                migrations.RemoveField(
                    model_name="registersnapshot",
                    name="pemda",
                ),
                migrations.AlterField(
                    model_name="verificationrun",
                    name="snapshot",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="runs",
                        to="register.registersnapshot",
                    ),
                ),
                migrations.DeleteModel(
                    name="RegisterLoadJob",
                ),
                migrations.DeleteModel(
                    name="RegisterRecord",
                ),
                migrations.DeleteModel(
                    name="RegisterSnapshot",
                ),
            ],
            database_operations=[],
        ),
    ]
