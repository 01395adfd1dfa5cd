"""Run counts stored as nested JSON (`RunCounts.as_json`) instead of flat "outcome:x" keys."""

from django.db import migrations

_SECTIONS = {"outcome": "outcomes", "verdict": "verdicts", "match": "matches"}


def nest(apps, schema_editor):  # type: ignore[no-untyped-def]
    runs = apps.get_model("verification", "VerificationRun")
    for run in runs.objects.exclude(counts={}).only("pk", "counts").iterator():
        flat = run.counts
        if "outcomes" in flat:
            continue
        nested = {
            "rows": flat.get("rows", 0),
            "outcomes": {},
            "verdicts": {},
            "matches": {},
            "review": {
                "match": flat.get("review:match", 0),
                "duplicate": flat.get("review:duplicate", 0),
            },
            "duplicate_groups": flat.get("duplicate_groups", 0),
        }
        for key, value in flat.items():
            prefix, _, name = key.partition(":")
            if prefix in _SECTIONS and name:
                nested[_SECTIONS[prefix]][name] = value
        runs.objects.filter(pk=run.pk).update(counts=nested)


class Migration(migrations.Migration):
    dependencies = [("verification", "0004_register_records_unconstrained_refs")]

    operations = [migrations.RunPython(nest, migrations.RunPython.noop)]
