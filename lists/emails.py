"""
The mail lists sends, rendered from ``templates/email/list_invitation/``
(``core.mail``), run by ``lists.tasks``, which the services queue on commit.
"""

from core.mail import send_templated_mail
from lists.models import Role
from lists.selectors import invitations_pending


def invitation_email_send(*, invitation_id: int, accept_url: str) -> bool:
    """Mail one invitation, if it is still pending; say whether a mail went out."""
    invitation = (
        invitations_pending().select_related("list", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None:
        return False
    send_templated_mail(
        name="list_invitation",
        to=[invitation.email],
        context={
            "invitation": invitation,
            "accept_url": accept_url,
            "role_label": "an editor" if invitation.role == Role.EDITOR else "a viewer",
        },
    )
    return True
