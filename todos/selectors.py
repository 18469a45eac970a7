"""Reads of todos. Every read is scoped to one owner."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request

from accounts.models import User
from core.api.conditional import etag_for
from core.api.pagination import CursorPagination
from todos.filters import TodoFilter
from todos.models import Todo
from todos.serializers import TodoSerializer


def todo_list(*, owner: User) -> QuerySet[Todo]:
    """
    The todos of ``owner`` and no one else's: every read of todos starts
    here. Newest first (the model's ordering) until the caller orders them.
    """
    return Todo.objects.filter(owner=owner)


def todo_version(*, todo: Todo) -> str:
    """The todo's version: the ``ETag`` of its representation in the API."""
    return etag_for(TodoSerializer(todo).data)


class TodoListQuery(GenericAPIView):
    """
    What a list of todos can be asked for, as DRF's filter backends and
    paginator read it from a view: ``TodoFilter``'s filters, search in title
    and description, ``ordering`` (newest first by default), and keyset pages
    (``cursor``, ``page_size``). The API's list is this view's; the list page
    reads through ``todo_page``.
    """

    filterset_class = TodoFilter
    search_fields = ["title", "description"]
    ordering_fields = ["created_at", "due_date", "title"]
    ordering = ["-created_at"]
    pagination_class: type[CursorPagination] = CursorPagination


@dataclass(frozen=True)
class TodoPage:
    todos: list[Todo]
    ordering: str
    previous_link: str | None
    next_link: str | None


def todo_page(*, owner: User, request: Request) -> TodoPage:
    """
    The page of the owner's todos that ``request``'s query asks for, as the
    API's list answers it. A query the API refuses raises its
    ``ValidationError`` (``{parameter: [messages]}``).
    """
    query = TodoListQuery(request=request)
    paginator = query.pagination_class()
    todos = paginator.paginate_queryset(
        query.filter_queryset(todo_list(owner=owner)), request, view=query
    )
    return TodoPage(
        todos=todos,
        ordering=",".join(paginator.ordering),
        previous_link=paginator.get_previous_link(),
        next_link=paginator.get_next_link(),
    )


def todos_due_by(*, owner: User, day: datetime.date) -> QuerySet[Todo]:
    """The open todos ``owner`` can see due on ``day`` or before (reminders), soonest first."""
    return todo_list(owner=owner).filter(done=False, due_date__lte=day).order_by("due_date", "id")


def todos_with_due_date(*, owner: User) -> QuerySet[Todo]:
    """The open todos ``owner`` can see that have a due date (the calendar feed)."""
    return todo_list(owner=owner).filter(done=False, due_date__isnull=False).order_by("id")
