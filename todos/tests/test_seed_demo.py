"""``manage.py seed_demo``: on PostgreSQL through COPY, elsewhere through INSERTs."""

import datetime
import io
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.clients import make_client
from todos.models import Todo
from todos.tests.factories import TodoFactory


def seed(**options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", yes=True, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_a_new_account_gets_its_todos_and_a_password_printed_once():
    out, err = seed(email="New.Person@Example.com", todos=40)

    user = User.objects.get(email="new.person@example.com")
    created = re.search(r"Created new\.person@example\.com with password (\S+)", out)
    assert created is not None
    assert user.check_password(created[1])
    assert Todo.objects.filter(owner=user).count() == 40
    assert "new.person@example.com: 100%" in err  # the progress bar, on stderr

    out, _ = seed(email="new.person@example.com", todos=40)
    assert "password" not in out
    assert "added 0 todos" in out
    assert Todo.objects.filter(owner=user).count() == 40


@pytest.mark.django_db
def test_the_same_seed_makes_the_same_todos_and_none_differs():
    def todos_of(email: str) -> list[tuple]:
        return list(
            Todo.objects.filter(owner__email=email)
            .order_by("created_at")
            .values_list("title", "description", "done", "due_date")
        )

    seed(email="first@example.com", todos=30, seed=11)
    seed(email="again@example.com", todos=30, seed=11)
    seed(email="other@example.com", todos=30, seed=12)

    assert todos_of("first@example.com") == todos_of("again@example.com")
    assert todos_of("first@example.com") != todos_of("other@example.com")


@pytest.mark.django_db
def test_an_existing_account_is_topped_up_to_the_number_asked_for():
    user = UserFactory.create()
    TodoFactory.create_batch(7, owner=user)

    out, _ = seed(email=user.email, todos=25)
    assert "password" not in out
    assert f"{user.email}: added 18 todos, has 25." in out
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)
    assert Todo.objects.filter(owner=user).count() == 25

    seed(email=user.email, todos=10)  # fewer than it has: nothing removed
    assert Todo.objects.filter(owner=user).count() == 25


@pytest.mark.django_db
def test_users_makes_numbered_demo_accounts_and_reruns_add_nothing():
    out, _ = seed(users=3, todos=5)
    for number in (1, 2, 3):
        assert f"Created demo{number}@example.com with password" in out
        assert Todo.objects.filter(owner__email=f"demo{number}@example.com").count() == 5

    out, _ = seed(users=4, todos=5)
    assert out.count("with password") == 1  # only demo4 is new
    assert Todo.objects.count() == 20
    assert User.objects.count() == 4


@pytest.mark.django_db
def test_the_todos_are_valid_varied_and_listed_by_the_api():
    seed(email="varied@example.com", todos=400)
    user = User.objects.get(email="varied@example.com")
    todos = list(Todo.objects.filter(owner=user))
    now, today = timezone.now(), timezone.localdate()

    for todo in todos:
        todo.full_clean()
        assert todo.title.strip()
        assert todo.created_at <= todo.updated_at <= now
        assert (todo.completed_at is not None) == todo.done
        if todo.completed_at is not None:
            assert todo.created_at <= todo.completed_at <= now
    done = sum(todo.done for todo in todos)
    assert 0 < done < len(todos)
    due_dates = [todo.due_date for todo in todos]
    assert None in due_dates
    assert any(due and due < today for due in due_dates)
    assert any(due and due > today for due in due_dates)
    assert any(todo.description for todo in todos)
    assert any(not todo.description for todo in todos)
    ages = [now - todo.created_at for todo in todos]
    assert max(ages) > datetime.timedelta(days=2 * 365)
    assert min(ages) < datetime.timedelta(days=30)
    assert len({todo.title for todo in todos}) > 100

    client = make_client(user)
    for ordering in ("created_at", "-due_date", "title"):
        response = client.get("/api/v1/todos/", {"ordering": ordering, "page_size": 100})
        assert response.status_code == 200
        assert len(response.json()["results"]) == 100


@pytest.mark.django_db(transaction=True)
def test_parallel_jobs_write_every_todo_once_in_order_of_creation():
    # Outside a test transaction, so that the jobs' own connections see the account.
    out, err = seed(email="parallel@example.com", todos=50_000, jobs=2)
    user = User.objects.get(email="parallel@example.com")
    assert "added 50,000 todos, has 50,000." in out
    assert "50.0k/50.0k" in err
    todos = Todo.objects.filter(owner=user)
    assert todos.count() == 50_000
    assert todos.values("created_at").distinct().count() == 50_000
    # The jobs take turns at 20,000-row chunks, so ids follow created_at
    # chunk by chunk: the newest chunk's rows have ids above the oldest's.
    by_id = list(todos.order_by("id").values_list("created_at", flat=True))
    assert max(by_id[:10_000]) < min(by_id[-10_000:])
    for todo in todos.order_by("?")[:200]:
        todo.full_clean()


@pytest.mark.django_db
def test_a_bad_email_is_a_clear_error():
    with pytest.raises(CommandError, match=r"Not an email address: 'not-an-email'"):
        seed(email="not-an-email", todos=5)
    assert not User.objects.exists()


def test_a_bad_email_exits_non_zero():
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo", "--email", "a@", "--todos", "1", "--yes"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "CommandError: Not an email address: 'a@'." in result.stderr


@pytest.mark.django_db
def test_it_refuses_to_run_with_debug_off_unless_told_yes(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Pass --yes"):
        call_command("seed_demo", email="x@example.com", todos=5, stdout=io.StringIO())
    assert not User.objects.exists()

    seed(email="x@example.com", todos=5)
    assert Todo.objects.count() == 5
