"""
Every todo is in a list (lists 0002 filled the column), and the list indexes
take over from the owner's.

A page of todos is now read per list: ``?list=<id>`` is ``list_id = <id>``,
and GET /todos/ is ``list_id IN (<the reader's lists>)``, which for an account
that sees one list is the same equality. So each index of 0001/0003 moves from
``(owner[, done], key, id)`` to ``(list[, done], key, id)``, in the very same
expressions cursor pagination orders and compares on: a page stays one index
range read, whatever the list holds. Nothing reads todos by owner any more but
the deletion of an account (the owner's todos go with it), which gets a plain
index on owner. The trigram search indexes (0003) are not per owner and stay.
"""

import core.expressions
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('lists', '0002_inboxes'),
        ('todos', '0004_todo_list'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='todo',
            name='todo_owner_created_idx',
        ),
        migrations.RemoveIndex(
            model_name='todo',
            name='todo_owner_done_idx',
        ),
        migrations.RemoveIndex(
            model_name='todo',
            name='todo_owner_title_idx',
        ),
        migrations.RemoveIndex(
            model_name='todo',
            name='todo_owner_due_idx',
        ),
        migrations.RemoveIndex(
            model_name='todo',
            name='todo_owner_due_desc_idx',
        ),
        migrations.RemoveIndex(
            model_name='todo',
            name='todo_owner_done_title_idx',
        ),
        migrations.RemoveIndex(
            model_name='todo',
            name='todo_owner_done_due_idx',
        ),
        migrations.RemoveIndex(
            model_name='todo',
            name='todo_owner_done_due_desc_idx',
        ),
        migrations.AlterField(
            model_name='todo',
            name='list',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='todos', to='lists.list'),
        ),
        migrations.AlterField(
            model_name='todo',
            name='owner',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='todos', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddIndex(
            model_name='todo',
            index=models.Index(fields=['list', '-created_at', '-id'], name='todo_list_created_idx'),
        ),
        migrations.AddIndex(
            model_name='todo',
            index=models.Index(fields=['list', 'done', '-created_at', '-id'], name='todo_list_done_idx'),
        ),
        migrations.AddIndex(
            model_name='todo',
            index=models.Index(models.F('list'), models.F('title'), models.F('id'), name='todo_list_title_idx'),
        ),
        migrations.AddIndex(
            model_name='todo',
            index=models.Index(models.F('list'), core.expressions.InfinityIfNull(models.F('due_date')), models.F('id'), name='todo_list_due_idx'),
        ),
        migrations.AddIndex(
            model_name='todo',
            index=models.Index(models.F('list'), core.expressions.InfinityIfNull(models.F('due_date'), descending=True), models.F('id'), name='todo_list_due_desc_idx'),
        ),
        migrations.AddIndex(
            model_name='todo',
            index=models.Index(models.F('list'), models.F('done'), models.F('title'), models.F('id'), name='todo_list_done_title_idx'),
        ),
        migrations.AddIndex(
            model_name='todo',
            index=models.Index(models.F('list'), models.F('done'), core.expressions.InfinityIfNull(models.F('due_date')), models.F('id'), name='todo_list_done_due_idx'),
        ),
        migrations.AddIndex(
            model_name='todo',
            index=models.Index(models.F('list'), models.F('done'), core.expressions.InfinityIfNull(models.F('due_date'), descending=True), models.F('id'), name='todo_list_done_due_desc_idx'),
        ),
    ]
