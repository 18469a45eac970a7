"""
Writes to lists, memberships and invitations, with the rules about who may
do what: a role by ``selectors.require_role`` (no role: 404, too weak: 403),
who may remove whom in ``member_remove``. The services raise domain errors;
the API (``core.api.exceptions``) and the pages (``core.middleware``) map
them to HTTP in one place each.
"""

import uuid
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User, normalize_email
from core.exceptions import Forbidden, NotFound, ValidationFailed
from lists import selectors
from lists.models import INBOX_NAME, Invitation, List, Membership, Role
from lists.selectors import require_role
from lists.tasks import send_invitation_email

MAX_OWNED_LISTS = 100
MAX_MEMBERS = 50
INVITATION_TTL = timedelta(days=7)

DUPLICATE_NAME = "You already have a list with this name."
TOO_MANY_LISTS = f"You can own at most {MAX_OWNED_LISTS} lists."
TOO_MANY_MEMBERS = f"A list can have at most {MAX_MEMBERS} members (pending invitations count)."
INBOX_NOT_DELETABLE = "The inbox cannot be deleted; rename it if you like."
INBOX_NOT_SHARED = "The inbox cannot be shared: make a list for what you want to share."
OWNER_CANNOT_LEAVE = "You own this list and cannot leave it: delete it instead."
OWNER_ROLE_FIXED = "The owner's role cannot change."
ALREADY_MEMBER = "This address is already a member of the list."
OWN_ADDRESS = "You own this list already."


def inbox_create(*, owner: User) -> List:
    inbox = List.objects.create(owner=owner, name=INBOX_NAME, is_inbox=True)
    Membership.objects.create(list=inbox, user=owner, role=Role.OWNER)
    inbox.role = Role.OWNER
    return inbox


@transaction.atomic
def list_create(*, owner: User, name: str) -> List:
    # One list at a time per owner, so the limit holds under concurrent creates.
    User.objects.select_for_update().filter(pk=owner.pk).first()
    if List.objects.filter(owner=owner).count() >= MAX_OWNED_LISTS:
        raise ValidationFailed(TOO_MANY_LISTS)
    try:
        with transaction.atomic():
            list_ = List.objects.create(owner=owner, name=name)
    except IntegrityError as exc:
        raise ValidationFailed(DUPLICATE_NAME, field="name") from exc
    Membership.objects.create(list=list_, user=owner, role=Role.OWNER)
    list_.role = Role.OWNER
    return list_


def list_rename(*, list_: List, role: str | None, name: str) -> List:
    require_role(role=role, allowed={Role.OWNER})
    list_.name = name
    try:
        with transaction.atomic():
            list_.save(update_fields=["name", "updated_at"])
    except IntegrityError as exc:
        raise ValidationFailed(DUPLICATE_NAME, field="name") from exc
    return list_


def list_delete(*, list_: List, role: str | None) -> None:
    """The list goes with its todos, members and invitations."""
    require_role(role=role, allowed={Role.OWNER})
    if list_.is_inbox:
        raise ValidationFailed(INBOX_NOT_DELETABLE)
    list_.delete()


def member_set_role(*, list_: List, role: str | None, member: Membership, new_role: str) -> None:
    require_role(role=role, allowed={Role.OWNER})
    if member.role == Role.OWNER:
        raise ValidationFailed(OWNER_ROLE_FIXED, field="role")
    member.role = new_role
    member.save(update_fields=["role"])


def member_remove(*, list_: List, actor: User, role: str | None, member: Membership) -> None:
    """The owner removes anyone else; anyone else may leave; nobody else removes anyone."""
    require_role(role=role, allowed=set(Role))
    leaving = member.user_id == actor.pk
    if member.role == Role.OWNER:
        if leaving:
            raise ValidationFailed(OWNER_CANNOT_LEAVE)
        raise Forbidden
    if not leaving and role != Role.OWNER:
        raise Forbidden
    member.delete()


@transaction.atomic
def invitation_create(
    *,
    list_: List,
    role: str | None,
    invited_by: User,
    email: str,
    invited_role: str,
    accept_url: str,
) -> Invitation:
    """
    Invite an address to the list; a pending invitation to it is replaced.

    Nothing here depends on whether the address has an account (no lookup of
    it), so the answer and its time tell the inviter nothing about that. The
    mail goes out after the commit, from a worker.
    """
    require_role(role=role, allowed={Role.OWNER})
    if list_.is_inbox:
        raise ValidationFailed(INBOX_NOT_SHARED)
    email = normalize_email(email)
    if email == normalize_email(invited_by.email):
        raise ValidationFailed(OWN_ADDRESS, field="email")
    # Serialises the invitations and members of one list: the limit holds.
    List.objects.select_for_update().filter(pk=list_.pk).first()
    if list_.memberships.filter(user__email=email).exists():
        raise ValidationFailed(ALREADY_MEMBER, field="email")
    list_.invitations.filter(email=email).delete()
    seats = (
        list_.memberships.count() + list_.invitations.filter(expires_at__gt=timezone.now()).count()
    )
    if seats >= MAX_MEMBERS:
        raise ValidationFailed(TOO_MANY_MEMBERS)
    invitation = list_.invitations.create(
        email=email,
        role=invited_role,
        invited_by=invited_by,
        expires_at=timezone.now() + INVITATION_TTL,
    )
    send_invitation_email.delay_on_commit(
        invitation_id=invitation.pk,
        accept_url=accept_url,
        send_id=uuid.uuid4().hex,
    )
    return invitation


def invitation_revoke(*, list_: List, role: str | None, invitation_id: int) -> None:
    require_role(role=role, allowed={Role.OWNER})
    deleted, _ = list_.invitations.filter(pk=invitation_id).delete()
    if not deleted:
        raise NotFound


@transaction.atomic
def invitation_accept(*, user: User, invitation_id: int) -> List:
    """Join the list with the invitation's role; the list, as the new member sees it."""
    invitation = (
        selectors.invitation_pending_for(user=user)
        .select_for_update()
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise NotFound
    list_ = List.objects.select_for_update().select_related("owner").get(pk=invitation.list_id)
    membership = list_.memberships.filter(user=user).first()
    if membership is None:
        if list_.memberships.count() >= MAX_MEMBERS:
            raise ValidationFailed(TOO_MANY_MEMBERS)
        membership = list_.memberships.create(user=user, role=invitation.role)
    elif membership.role != Role.OWNER:
        membership.role = invitation.role
        membership.save(update_fields=["role"])
    invitation.delete()
    list_.role = membership.role
    return list_


def invitation_decline(*, user: User, invitation_id: int) -> None:
    deleted, _ = selectors.invitation_pending_for(user=user).filter(pk=invitation_id).delete()
    if not deleted:
        raise NotFound


def invitations_purge_expired() -> int:
    """Expired invitations can no longer be answered: the daily clean-up drops them."""
    deleted, _ = Invitation.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
