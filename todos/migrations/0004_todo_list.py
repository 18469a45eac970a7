import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Todos gain their list; empty until lists 0002 puts each account's todos in its inbox."""

    dependencies = [
        ("lists", "0001_initial"),
        ("todos", "0003_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="todo",
            name="list",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="todos",
                to="lists.list",
            ),
        ),
    ]
