import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_VERIFICATION = [("accounts", "0002_time_zone_and_reminder_time")]
VERIFICATION = [("accounts", "0003_user_email_verified")]


@pytest.mark.django_db(transaction=True)
def test_existing_accounts_start_unverified_except_superusers():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_VERIFICATION)
    old_user = executor.loader.project_state(BEFORE_VERIFICATION).apps.get_model("accounts", "User")
    old_user.objects.create(email="person@example.com")
    old_user.objects.create(email="staff@example.com", is_staff=True)
    old_user.objects.create(email="root@example.com", is_staff=True, is_superuser=True)

    executor = MigrationExecutor(connection)
    executor.migrate(VERIFICATION)

    new_user = executor.loader.project_state(VERIFICATION).apps.get_model("accounts", "User")
    assert dict(new_user.objects.values_list("email", "email_verified")) == {
        "person@example.com": False,
        "staff@example.com": False,
        "root@example.com": True,
    }
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
