"""
Indexes that make a page cost the same for an owner with a thousand todos or
a million.

Cursor pagination orders every list by ``(key, id)`` and starts a page with
``(key, id) > (cursor)``; an index on ``(owner[, done], key, id)`` in the very
same expressions answers that as one range read of page_size + 1 entries, with
no sort over the owner's rows: created_at had one (0001), title and due_date get
theirs here, each also behind ``done`` for ``?done=`` with an ordering. A due
date sorts as ``COALESCE(due_date, 'infinity')`` ascending and ``'-infinity'``
descending (a missing date last either way), hence two indexes for it. The
owner column loses its own index: every index here starts with it.

``?search=`` is ``UPPER(col::text) LIKE UPPER('%word%')`` on title and
description (Django's icontains); on PostgreSQL a trigram GIN index on exactly
``UPPER(col)`` finds the few matching rows without reading the owner's other
rows. pg_trgm is PostgreSQL's, so those two indexes are made only there, and
are not in the models' state (nothing else needs to know about them).
"""

import core.expressions
import django.contrib.postgres.indexes
import django.contrib.postgres.operations
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import Upper

SEARCH_INDEXES = [
    django.contrib.postgres.indexes.GinIndex(
        django.contrib.postgres.indexes.OpClass(Upper(field), name="gin_trgm_ops"), name=f"todo_{field}_trgm_idx"
    )
    for field in ("title", "description")
]


class TrigramExtension(django.contrib.postgres.operations.TrigramExtension):
    """Django's, which skips other databases going forwards but not backwards."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def add_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in SEARCH_INDEXES:
            schema_editor.add_index(apps.get_model("todos", "Todo"), index)


def remove_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in SEARCH_INDEXES:
            schema_editor.remove_index(apps.get_model("todos", "Todo"), index)


class Migration(migrations.Migration):

    dependencies = [
        ('todos', '0002_move_idempotency_key_to_core'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='todo',
            name='owner',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='todos', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddIndex(
            model_name='todo',
            index=models.Index(models.F('owner'), models.F('title'), models.F('id'), name='todo_owner_title_idx'),
        ),
        migrations.AddIndex(
            model_name='todo',
            index=models.Index(models.F('owner'), core.expressions.InfinityIfNull(models.F('due_date')), models.F('id'), name='todo_owner_due_idx'),
        ),
        migrations.AddIndex(
            model_name='todo',
            index=models.Index(models.F('owner'), core.expressions.InfinityIfNull(models.F('due_date'), descending=True), models.F('id'), name='todo_owner_due_desc_idx'),
        ),
        migrations.AddIndex(
            model_name='todo',
            index=models.Index(models.F('owner'), models.F('done'), models.F('title'), models.F('id'), name='todo_owner_done_title_idx'),
        ),
        migrations.AddIndex(
            model_name='todo',
            index=models.Index(models.F('owner'), models.F('done'), core.expressions.InfinityIfNull(models.F('due_date')), models.F('id'), name='todo_owner_done_due_idx'),
        ),
        migrations.AddIndex(
            model_name='todo',
            index=models.Index(models.F('owner'), models.F('done'), core.expressions.InfinityIfNull(models.F('due_date'), descending=True), models.F('id'), name='todo_owner_done_due_desc_idx'),
        ),
        # Both do nothing on other databases.
        TrigramExtension(),
        migrations.RunPython(add_search_indexes, remove_search_indexes),
    ]
