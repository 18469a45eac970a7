"""
The list pages: make, rename and delete a list, share it (members, roles,
invitations), and answer invitations. They read through lists.selectors and
write through lists.services, as the API does; a list the person has no role
on is the 404 page and a role too weak the 403 page (core's middleware maps
the services' errors). Every action is a form post answered with a redirect,
so everything works without JavaScript.
"""

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from accounts.http import authenticated_user
from core.exceptions import Forbidden, ValidationFailed
from core.forms import add_application_error
from lists import selectors, services
from lists.apis import InviteRateThrottle
from lists.forms import InviteForm, ListNameForm, RoleForm
from lists.models import SHARED_ROLE_CHOICES, List, Role

TOO_MANY_INVITATIONS = "You have sent a lot of invitations: try again later."


class ListPageMixin(LoginRequiredMixin, View):
    kwargs: dict[str, Any]

    @cached_property
    def the_list(self) -> List:
        """The list of the path, with the person's role; none of theirs is the 404 page."""
        return selectors.list_get(
            user=authenticated_user(self.request), list_id=self.kwargs["list_pk"]
        )

    def sharing_page(self) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("lists_web:sharing", args=[self.the_list.pk]))


class ListCreateView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        form = ListNameForm(request.POST)
        if form.is_valid():
            try:
                list_ = services.list_create(
                    owner=authenticated_user(request), name=form.cleaned_data["name"]
                )
            except ValidationFailed as error:
                add_application_error(form, error)
            else:
                messages.success(request, f"Made the list “{list_.name}”.")
                return HttpResponseRedirect(reverse("lists_web:detail", args=[list_.pk]))
        return render(request, "lists/create.html", {"form": form}, status=400)


class ListRenameView(ListPageMixin):
    def post(self, request: HttpRequest, list_pk: int) -> HttpResponse:
        list_ = self.the_list
        form = ListNameForm(request.POST)
        if form.is_valid():
            try:
                services.list_rename(list_=list_, role=list_.role, name=form.cleaned_data["name"])
            except ValidationFailed as error:
                add_application_error(form, error)
            else:
                messages.success(request, f"Renamed the list “{list_.name}”.")
                return self.sharing_page()
        return sharing_page(request, list_, rename_form=form, status=400)


class ListDeleteView(ListPageMixin):
    """``GET``: ask first; ``POST``: delete, with its todos, members and invitations."""

    def get(self, request: HttpRequest, list_pk: int) -> HttpResponse:
        selectors.require_role(role=self.the_list.role, allowed={Role.OWNER})
        return render(request, "lists/delete.html", {"list": self.the_list})

    def post(self, request: HttpRequest, list_pk: int) -> HttpResponse:
        name = self.the_list.name
        services.list_delete(list_=self.the_list, role=self.the_list.role)
        messages.success(request, f"Deleted the list “{name}”.")
        return HttpResponseRedirect(reverse("todos_web:list"))


def sharing_page(
    request: HttpRequest, list_: List, *, status: int = 200, **forms: Any
) -> HttpResponse:
    """
    Members and their roles; for the owner, rename, invite and the pending
    invitations. ``forms``: a refused form to show again with its errors.
    """
    is_owner = list_.role == Role.OWNER
    context = {
        "list": list_,
        "is_owner": is_owner,
        "me": authenticated_user(request),
        "members": selectors.member_list(list_=list_),
        "invitations": selectors.invitation_list(list_=list_) if is_owner else [],
        "invite_form": InviteForm(),
        "rename_form": ListNameForm(initial={"name": list_.name}),
        "roles": SHARED_ROLE_CHOICES,
        **forms,
    }
    return render(request, "lists/sharing.html", context, status=status)


class SharingView(ListPageMixin):
    def get(self, request: HttpRequest, list_pk: int) -> HttpResponse:
        return sharing_page(request, self.the_list)


class InviteView(ListPageMixin):
    def post(self, request: HttpRequest, list_pk: int) -> HttpResponse:
        list_ = self.the_list
        selectors.require_role(role=list_.role, allowed={Role.OWNER})
        form = InviteForm(request.POST)
        if form.is_valid():
            throttle = InviteRateThrottle()
            # It reads the user from the request, which a Django request has; no view.
            if not throttle.allow_request(request, None):  # type: ignore[arg-type]
                form.add_error(None, TOO_MANY_INVITATIONS)
                return sharing_page(request, list_, invite_form=form, status=429)
            try:
                invitation = services.invitation_create(
                    list_=list_,
                    role=list_.role,
                    invited_by=authenticated_user(request),
                    email=form.cleaned_data["email"],
                    invited_role=form.cleaned_data["role"],
                    accept_url=request.build_absolute_uri(reverse("lists_web:invitations")),
                )
            except ValidationFailed as error:
                add_application_error(form, error)
            else:
                messages.success(request, f"Invited {invitation.email} as {invitation.role}.")
                return self.sharing_page()
        return sharing_page(request, list_, invite_form=form, status=400)


class MemberRoleView(ListPageMixin):
    def post(self, request: HttpRequest, list_pk: int, member_pk: int) -> HttpResponse:
        member = get_object_or_404(self.the_list.memberships.select_related("user"), pk=member_pk)
        form = RoleForm(request.POST)
        if not form.is_valid():
            raise ValidationFailed("Choose editor or viewer.")
        services.member_set_role(
            list_=self.the_list,
            role=self.the_list.role,
            member=member,
            new_role=form.cleaned_data["role"],
        )
        messages.success(request, f"{member.user.email} is now {member.role}.")
        return self.sharing_page()


class MemberRemoveView(ListPageMixin):
    def post(self, request: HttpRequest, list_pk: int, member_pk: int) -> HttpResponse:
        member = get_object_or_404(self.the_list.memberships.select_related("user"), pk=member_pk)
        me = authenticated_user(request)
        services.member_remove(
            list_=self.the_list, actor=me, role=self.the_list.role, member=member
        )
        if member.user_id == me.pk:
            messages.success(request, f"You left the list “{self.the_list.name}”.")
            return HttpResponseRedirect(reverse("todos_web:list"))
        messages.success(request, f"Removed {member.user.email}.")
        return self.sharing_page()


class InvitationRevokeView(ListPageMixin):
    def post(self, request: HttpRequest, list_pk: int, invitation_pk: int) -> HttpResponse:
        services.invitation_revoke(
            list_=self.the_list, role=self.the_list.role, invitation_id=invitation_pk
        )
        messages.success(request, "Revoked the invitation.")
        return self.sharing_page()


class InvitationsView(LoginRequiredMixin, TemplateView):
    """Invitations to the person's address; an unverified one is told to verify it first."""

    template_name = "lists/invitations.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        try:
            context["invitations"] = list(
                selectors.invitation_pending_for(user=authenticated_user(self.request))
            )
        except Forbidden as refusal:
            context["unverified"] = " ".join(refusal.messages)
        return context


class InvitationAnswerView(LoginRequiredMixin, View):
    accept: bool = True

    def post(self, request: HttpRequest, invitation_pk: int) -> HttpResponse:
        user = authenticated_user(request)
        if not self.accept:
            services.invitation_decline(user=user, invitation_id=invitation_pk)
            messages.success(request, "Declined the invitation.")
            return HttpResponseRedirect(reverse("lists_web:invitations"))
        list_ = services.invitation_accept(user=user, invitation_id=invitation_pk)
        messages.success(request, f"You joined “{list_.name}” as {list_.role}.")
        return HttpResponseRedirect(reverse("lists_web:detail", args=[list_.pk]))
