"""
The todo pages: the list (filter, search, order, keyset pages), add, toggle,
edit and delete. They read through todos.selectors (the list through the
API's own list query) and write through todos.services, whose refusals they
show on their forms, so a page and the API apply one set of rules to one set
of data. With htmx (``HX-Request``) each action answers a partial template;
without JavaScript every action is a form post answered with a redirect.
"""

from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import RedirectURLMixin
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request

from accounts.http import authenticated_user
from core.exceptions import NotFound, PreconditionFailed, ValidationFailed
from core.forms import add_application_error
from core.htmx import HtmxHttpRequest
from lists.selectors import ListAccess, list_access
from todos import selectors, services
from todos.forms import TodoAddForm, TodoEditForm, TodoToggleForm
from todos.models import Todo

ORDERINGS = [
    ("-created_at", "Newest first"),
    ("created_at", "Oldest first"),
    ("due_date", "Due soonest"),
    ("-due_date", "Due latest"),
    ("title", "Title A to Z"),
    ("-title", "Title Z to A"),
]
# What "previous" and "next" mean in each order.
PAGE_LINKS = {"-created_at": ("Newer", "Older"), "created_at": ("Older", "Newer")}


def edit_ids(todo: Todo) -> str:
    """Element ids of a todo's edit form, apart from the add form's and other items'."""
    return f"id_todo{todo.pk}_%s"


class TodoPageMixin(LoginRequiredMixin, RedirectURLMixin, View):
    """
    A todo page; a plain form returns to the list it came from (``next``, this
    site only: Django's ``get_success_url``), or else to the whole list.
    """

    request: HtmxHttpRequest
    kwargs: dict[str, Any]
    next_page = "todos_web:list"
    # Whether the page's GET is a form to change the todo (edit, delete).
    writes = False

    @cached_property
    def lists(self) -> dict[int, ListAccess]:
        """The signed-in person's lists and roles, read once per request."""
        return list_access(user=authenticated_user(self.request))

    def own_todo(self, *, for_update: bool = False) -> Todo:
        """
        A todo the signed-in person can see; any other (or none) is the same
        404. To be written (``for_update``, or a form to change it), its list
        must be theirs to write: a viewer gets the 403 page.
        """
        todos = selectors.todo_list(user=authenticated_user(self.request), lists=self.lists)
        if for_update:
            todos = todos.select_for_update()
        todo = get_object_or_404(todos, pk=self.kwargs["pk"])
        if for_update or self.writes:
            services.writable_list(lists=self.lists, list_id=todo.list_id)
        return todo

    def with_access(self, todos: Iterable[Todo]) -> None:
        """For the templates: each todo's list name, and whether the reader may write it."""
        for todo in todos:
            access = self.lists[todo.list_id]
            setattr(todo, "list_name", access.name)  # noqa: B010 (not a model field)
            setattr(todo, "writable", access.writable)  # noqa: B010

    def item(self, todo: Todo, *, status: int = 200) -> HttpResponse:
        """One todo's list item, and the messages for the live region."""
        self.with_access([todo])
        context = {"todo": todo, "today": timezone.localdate(), "next": self.get_success_url()}
        return render(self.request, "todos/_item_response.html", context, status=status)


class TodoListView(TodoPageMixin, TemplateView):
    """
    ``GET``: a page of the todos of every list the person has a role on (``/todos/``),
    or of one list (``/lists/<id>/``), with the API's query (``done``, ``search``,
    ``ordering``, ``cursor``, ``page_size``); ``POST``: add a todo there (the inbox
    from ``/todos/``). A list the person has no role on is the 404 page.
    """

    request: HtmxHttpRequest
    template_name = "todos/list.html"

    @property
    def list_id(self) -> int | None:
        list_id: int | None = self.kwargs.get("list_pk")
        if list_id is not None and list_id not in self.lists:
            raise NotFound
        return list_id

    def scope(self) -> Mapping[int, ListAccess]:
        """The lists this page shows the todos of."""
        list_id = self.list_id
        return self.lists if list_id is None else {list_id: self.lists[list_id]}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.page(TodoAddForm())

    def post(self, request: HtmxHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = TodoAddForm(request.POST)
        if form.is_valid():
            try:
                todo = services.todo_create(
                    lists=self.lists, list_id=self.list_id, **form.cleaned_data
                )
            except ValidationFailed as error:
                add_application_error(form, error)
            else:
                messages.success(request, f"Added “{todo.title}”.")
                if request.htmx:
                    self.with_access([todo])
                    context = {
                        "form": TodoAddForm(),
                        "todo": todo,
                        "today": timezone.localdate(),
                        "add_url": request.path,
                    }
                    return render(request, "todos/_add_response.html", context)
                return HttpResponseRedirect(request.path)
        if request.htmx:
            return render(request, "todos/_add_form.html", {"form": form, "add_url": request.path})
        return self.page(form)

    def page(self, form: TodoAddForm) -> HttpResponse:
        try:
            page = selectors.todo_page(
                user=authenticated_user(self.request),
                request=Request(self.request),
                lists=self.scope(),
            )
        except ApiValidationError as exc:
            # The API's refusal of a query: {parameter: [messages]}.
            detail = cast(dict[str, list[str]], exc.detail)
            problems = [f"{field}: {' '.join(errors)}" for field, errors in detail.items()]
            return render(self.request, "400.html", {"detail": " ".join(problems)}, status=400)
        newer, older = PAGE_LINKS.get(page.ordering, ("Previous", "Next"))
        self.with_access(page.todos)
        list_id = self.list_id
        current = None if list_id is None else self.lists[list_id]
        context = {
            "form": form,
            "add_url": self.request.path,
            "lists": self.lists,
            "list_id": list_id,
            "current_list": current,
            # From /todos/ a todo goes to the inbox, which is always the person's own.
            "can_add": current is None or current.writable,
            "todos": page.todos,
            "today": timezone.localdate(),
            "next": self.request.get_full_path(),
            "done": self.request.GET.get("done", ""),
            "search": self.request.GET.get("search", ""),
            "ordering": page.ordering,
            "orderings": ORDERINGS,
            "previous_link": page.previous_link,
            "next_link": page.next_link,
            "previous_label": newer,
            "next_label": older,
        }
        return self.render_to_response(context)


class TodoItemView(TodoPageMixin, View):
    """One todo's list item (htmx: an edit cancelled); without htmx, the list."""

    def get(self, request: HtmxHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        todo = self.own_todo()
        if not request.htmx:
            return HttpResponseRedirect(reverse("todos_web:list"))
        self.with_access([todo])
        context = {"todo": todo, "today": timezone.localdate(), "next": reverse("todos_web:list")}
        return render(request, "todos/_item.html", context)


class TodoToggleView(TodoPageMixin, View):
    """Mark done or open, as the checkbox says (``completed_at`` follows)."""

    def post(self, request: HtmxHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = TodoToggleForm(request.POST)
        form.is_valid()  # a checkbox: absent means open
        done = form.cleaned_data.get("done", False)
        with transaction.atomic():
            todo = services.todo_update(
                todo=self.own_todo(for_update=True), lists=self.lists, data={"done": done}
            )
        messages.success(request, f"“{todo.title}” is {'done' if todo.done else 'open'}.")
        if request.htmx:
            return self.item(todo)
        return HttpResponseRedirect(self.get_success_url())


class TodoEditView(TodoPageMixin, View):
    """
    Edit a todo against the version the form was opened at: if it changed
    since (in another tab, or through the API), nothing is overwritten; the
    form shows both versions and saving again keeps the one in the form.
    """

    writes = True

    def get(self, request: HtmxHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        todo = self.own_todo()
        form = TodoEditForm(
            auto_id=edit_ids(todo),
            initial={
                "title": todo.title,
                "description": todo.description,
                "due_date": todo.due_date,
                "done": todo.done,
                "version": selectors.todo_version(todo=todo),
            },
        )
        return self.form_page(todo, form)

    def post(self, request: HtmxHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with transaction.atomic():
            todo = self.own_todo(for_update=True)
            form = TodoEditForm(request.POST, auto_id=edit_ids(todo))
            if not form.is_valid():
                return self.form_page(todo, form)
            fields = {
                name: form.cleaned_data[name]
                for name in ("title", "description", "due_date", "done")
            }
            try:
                todo = services.todo_update(
                    todo=todo,
                    lists=self.lists,
                    data=fields,
                    expected_versions={form.cleaned_data["version"]},
                )
            except PreconditionFailed:
                # Changed since the form was opened: show both, at the current version.
                data = request.POST.copy()
                data["version"] = selectors.todo_version(todo=todo)
                return self.form_page(
                    todo, TodoEditForm(data, auto_id=edit_ids(todo)), conflict=form.cleaned_data
                )
            except ValidationFailed as error:
                add_application_error(form, error)
                return self.form_page(todo, form)
        messages.success(request, f"Saved “{todo.title}”.")
        if request.htmx:
            return self.item(todo)
        return HttpResponseRedirect(reverse("todos_web:list"))

    def form_page(
        self, todo: Todo, form: TodoEditForm, *, conflict: dict[str, Any] | None = None
    ) -> HttpResponse:
        template = "todos/_edit_form.html" if self.request.htmx else "todos/edit.html"
        context = {"todo": todo, "form": form, "conflict": conflict}
        return render(
            self.request,
            template,
            context,
            status=409 if conflict and not self.request.htmx else 200,
        )


class TodoDeleteView(TodoPageMixin, View):
    """``GET``: ask (the page without JavaScript); ``POST``: delete."""

    writes = True

    def get(self, request: HtmxHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        context = {"todo": self.own_todo(), "next": self.get_success_url()}
        return render(request, "todos/delete.html", context)

    def post(self, request: HtmxHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with transaction.atomic():
            todo = self.own_todo(for_update=True)
            title = todo.title
            services.todo_delete(todo=todo, lists=self.lists)
        messages.success(request, f"Deleted “{title}”.")
        if request.htmx:
            # The item is swapped for nothing; the message reaches the live region.
            return render(request, "todos/_deleted.html")
        return HttpResponseRedirect(self.get_success_url())
