"""Chain the events written before the hash chain existed, oldest first, per chain. The
append-only trigger is lifted for this one pass and put back at the end of it."""

from importlib import import_module

from django.db import migrations

append_only = import_module("lindung.audit.migrations.0002_append_only")


def hash_existing(apps, schema_editor):
    from lindung.audit.chain import chain_key, event_hash

    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChain = apps.get_model("audit", "AuditChain")
    append_only.backwards(apps, schema_editor)
    heads: dict[str, list] = {}  # key -> [last_hash, last_id, length]
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        key = chain_key(event.pemda_id)
        head = heads.setdefault(key, ["", None, 0])
        event.prev_hash = head[0]
        event.hash = event_hash(event)
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=event.prev_hash, hash=event.hash)
        heads[key] = [event.hash, event.pk, head[2] + 1]
    for key, (last_hash, last_id, length) in heads.items():
        AuditChain.objects.update_or_create(
            key=key,
            defaults={"last_hash": last_hash, "last_event_id": last_id, "length": length},
        )
    append_only.forwards(apps, schema_editor)


def unhash(apps, schema_editor):
    apps.get_model("audit", "AuditChain").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_audit_chain")]
    operations = [migrations.RunPython(hash_existing, unhash)]
