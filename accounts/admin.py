from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts import services
from accounts.models import User


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Django's user admin, keyed on email instead of a username."""

    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ["email"]
    list_display = [
        "email",
        "name",
        "email_verified",
        "is_active",
        "is_staff",
        "date_joined",
        "last_login",
    ]
    list_filter = ["email_verified", "is_active", "is_staff", "is_superuser"]
    actions = ["mark_email_verified"]
    search_fields = ["email", "name"]
    readonly_fields = ["date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["name", "email_verified"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "usable_password", "password1", "password2"]},
        ),
    ]

    @admin.action(description="Mark the selected users' email addresses verified")
    def mark_email_verified(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        marked = services.users_mark_email_verified(users=queryset)
        noun = "address" if marked == 1 else "addresses"
        self.message_user(request, f"{marked} {noun} marked verified.", messages.SUCCESS)
