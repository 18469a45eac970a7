"""
Idempotency keys moved to the core app (any create can use them). Live keys
are copied over, scoped to the todo create they were sent to, so a retry that
spans the deploy still replays its first answer.
"""

from django.db import migrations


def copy_keys_to_core(apps, schema_editor):
    old = apps.get_model("todos", "IdempotencyKey")
    new = apps.get_model("core", "IdempotencyKey")
    for record in old.objects.iterator():
        copy = new.objects.create(
            owner_id=record.owner_id,
            scope="todos.create",
            key=record.key,
            request_fingerprint=record.request_fingerprint,
            response_body=record.response_body,
        )
        # auto_now_add stamped the copy with now; the key's age is what expires it.
        new.objects.filter(pk=copy.pk).update(created_at=record.created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("todos", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_keys_to_core, migrations.RunPython.noop),
        migrations.DeleteModel(name="IdempotencyKey"),
    ]
