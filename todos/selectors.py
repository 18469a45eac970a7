"""
Reads of todos. A person sees every todo on every list they have a role on
(their own lists and those shared with them) and nothing else: every read of
todos for a person goes through ``todo_list``.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import QuerySet
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request

from accounts.models import User
from core.api.conditional import etag_for
from core.api.pagination import CursorPagination
from lists.selectors import ListAccess, list_access, visible_list_ids
from todos.filters import TodoFilter
from todos.models import Todo
from todos.serializers import TodoSerializer


def todo_list(*, user: User, lists: Mapping[int, ListAccess] | None = None) -> QuerySet[Todo]:
    """
    The todos ``user`` can see, newest first.

    With ``lists`` (their ``lists.selectors.list_access``, read once by the
    pages and the API) the ids are sent as values: for one list the query is
    ``list_id = %s``, one range of a list index, and for several the planner
    knows which lists it reads. Without, the lists are a subquery of the same
    statement (a feed or a mail's one query).
    """
    if lists is None:
        return Todo.objects.filter(list__in=visible_list_ids(user=user))
    return Todo.objects.filter(list_id__in=list(lists))


def todo_version(*, todo: Todo) -> str:
    """The todo's version: the ``ETag`` of its representation in the API."""
    return etag_for(TodoSerializer(todo).data)


class TodoListQuery(GenericAPIView):
    """
    What a list of todos can be asked for, as DRF's filter backends and
    paginator read it from a view: ``TodoFilter``'s filters, search in title
    and description, ``list``, ``ordering`` (newest first by default), and keyset pages
    (``cursor``, ``page_size``). The API's list is this view's; the list page
    reads through ``todo_page``.
    """

    filterset_class = TodoFilter
    search_fields = ["title", "description"]
    ordering_fields = ["created_at", "due_date", "title"]
    ordering = ["-created_at"]
    pagination_class: type[CursorPagination] = CursorPagination
    #: The lists the todos lie in, for the paginator to read a page list by list.
    page_partitions: tuple[str, list[int]] | None = None

    def read_by_list(self, lists: Mapping[int, ListAccess]) -> None:
        """
        Page through ``lists`` one list index at a time (``CursorPagination``):
        unless ``?list=`` names one, a page of several lists' todos is merged
        from each list's first rows, at a cost that does not grow with the
        lists' sizes.
        """
        if not self.request.GET.get("list"):
            self.page_partitions = ("list_id", list(lists))


@dataclass(frozen=True)
class TodoPage:
    todos: list[Todo]
    ordering: str
    previous_link: str | None
    next_link: str | None


def todo_page(
    *, user: User, request: Request, lists: Mapping[int, ListAccess] | None = None
) -> TodoPage:
    """
    The page of the todos ``user`` can see that ``request``'s query asks for,
    as the API's list answers it. A query the API refuses raises its
    ``ValidationError`` (``{parameter: [messages]}``).
    """
    if lists is None:
        lists = list_access(user=user)
    query = TodoListQuery(request=request)
    query.read_by_list(lists)
    paginator = query.pagination_class()
    todos = paginator.paginate_queryset(
        query.filter_queryset(todo_list(user=user, lists=lists)), request, view=query
    )
    return TodoPage(
        todos=todos,
        ordering=",".join(paginator.ordering),
        previous_link=paginator.get_previous_link(),
        next_link=paginator.get_next_link(),
    )


def todos_due_by(*, owner: User, day: datetime.date) -> QuerySet[Todo]:
    """The open todos ``owner`` can see due on ``day`` or before (reminders), soonest first."""
    return todo_list(user=owner).filter(done=False, due_date__lte=day).order_by("due_date", "id")


def todos_due_from(*, owner: User, day: datetime.date) -> QuerySet[Todo]:
    """The open todos ``owner`` can see that are due on ``day`` or later, the earliest first."""
    return todo_list(user=owner).filter(done=False, due_date__gte=day).order_by("due_date", "id")
