from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from todos import services
from todos.models import Todo


@admin.register(Todo)
class TodoAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "list",
        "owner",
        "done",
        "due_date",
        "completed_at",
        "created_at",
        "updated_at",
    ]
    list_filter = ["done", "due_date", "created_at", "completed_at"]
    search_fields = ["title", "description", "owner__email"]
    list_select_related = ["owner", "list"]
    raw_id_fields = ["list"]
    readonly_fields = ["completed_at", "created_at", "updated_at"]
    date_hierarchy = "created_at"
    actions = ["mark_done", "mark_undone"]
    show_full_result_count = False

    @admin.action(description="Mark selected todos as done")
    def mark_done(self, request: HttpRequest, queryset: QuerySet[Todo]) -> None:
        changed = services.todos_set_done(todos=queryset, done=True)
        self.message_user(request, f"{changed} todo(s) marked as done.")

    @admin.action(description="Mark selected todos as not done")
    def mark_undone(self, request: HttpRequest, queryset: QuerySet[Todo]) -> None:
        changed = services.todos_set_done(todos=queryset, done=False)
        self.message_user(request, f"{changed} todo(s) marked as not done.")

    def get_readonly_fields(self, request: HttpRequest, obj: Todo | None = None) -> list[str]:
        # A todo belongs to its list's owner; its list is chosen when it is made.
        fixed = ["owner", "list"] if obj is not None else ["owner"]
        return [*fixed, *self.readonly_fields]

    def save_model(self, request: HttpRequest, obj: Todo, form: Any, change: bool) -> None:
        if not change:
            obj.owner_id = obj.list.owner_id
        if "done" in form.changed_data:
            # Keep completed_at in step with done, as the API does.
            obj.completed_at = services.completion_time(done=obj.done)
        super().save_model(request, obj, form, change)
