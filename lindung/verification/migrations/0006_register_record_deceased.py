"""A register record's death as a column, instead of searching its issues' JSON text."""

from django.db import migrations, models


def mark_deceased(apps, schema_editor):  # type: ignore[no-untyped-def]
    # Records loaded before the column carry the death only as a `register_deceased` issue.
    table = schema_editor.connection.ops.quote_name("verification_registerrecord")
    issues = "issues::text" if schema_editor.connection.vendor == "postgresql" else "issues"
    schema_editor.execute(
        f"UPDATE {table} SET deceased = %s WHERE {issues} LIKE %s",  # noqa: S608
        [True, "%register_deceased%"],
    )


class Migration(migrations.Migration):
    dependencies = [("verification", "0005_run_counts_typed")]

    operations = [
        migrations.AddField(
            model_name="registerrecord",
            name="deceased",
            field=models.BooleanField(
                db_default=False, default=False, verbose_name="meninggal menurut register"
            ),
        ),
        migrations.RunPython(mark_deceased, migrations.RunPython.noop),
    ]
