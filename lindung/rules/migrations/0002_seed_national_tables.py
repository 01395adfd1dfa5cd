"""Seed the national rule tables shipped with Lindung (PP 44/2015, PP 82/2019, PP 50/2025)."""

from django.db import migrations

from lindung.domain.rulebook import DEFAULT_RULEBOOK


def seed(apps, schema_editor):
    RuleVersion = apps.get_model("rules", "RuleVersion")
    tables = (*DEFAULT_RULEBOOK.contributions, *DEFAULT_RULEBOOK.reliefs, *DEFAULT_RULEBOOK.benefits)
    for table in tables:
        RuleVersion.objects.get_or_create(
            pemda=None,
            kind=table.kind,
            version=table.version,
            defaults={
                "effective_from": table.effective_from,
                "effective_to": table.effective_to,
                "legal_basis": table.legal_basis,
                "payload": table.to_dict(),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
