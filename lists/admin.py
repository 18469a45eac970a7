from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from lists.models import Invitation, List, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["created_at"]


class InvitationInline(admin.TabularInline):
    """Pending and expired ones alike (the daily clean-up drops the expired)."""

    model = Invitation
    extra = 0
    fk_name = "list"
    raw_id_fields = ["invited_by"]
    readonly_fields = ["created_at"]


@admin.register(List)
class ListAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "is_inbox", "members", "created_at", "updated_at"]
    list_filter = ["is_inbox", "created_at"]
    search_fields = ["name", "owner__email"]
    # The owner and the member count come with the page's one query, not one per row.
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    readonly_fields = ["is_inbox", "created_at", "updated_at"]
    inlines = [MembershipInline, InvitationInline]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[List]:
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    @admin.display(description="members", ordering="member_count")
    def members(self, obj: List) -> int:
        count: int = obj.member_count  # type: ignore[attr-defined]
        return count
