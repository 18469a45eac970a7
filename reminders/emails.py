"""
The reminder mail, rendered from ``templates/email/reminder/`` (``core.mail``)
and run by ``reminders.tasks.send_reminder``.
"""

import datetime

from django.conf import settings
from django.urls import reverse

from accounts.models import User
from core.mail import send_templated_mail
from reminders.tokens import unsubscribe_token
from todos import selectors as todo_selectors

#: Todos listed in one mail; past it, the mail says there are more and links the list.
MAIL_TODOS = 50


def reminder_email_send(*, user_id: int, day: datetime.date) -> bool:
    """
    Mail the person their open todos due on ``day`` (their local today) or
    before; say whether a mail was sent. Nothing is sent on a day with nothing
    due, nor to an account closed or with reminders turned off since the claim.
    """
    user = User.objects.filter(pk=user_id, is_active=True, reminder_time__isnull=False).first()
    if user is None:
        return False
    todos = list(todo_selectors.todos_due_by(owner=user, day=day)[: MAIL_TODOS + 1])
    if not todos:
        return False
    site = settings.SITE_URL
    unsubscribe_url = site + reverse(
        "reminders_web:unsubscribe", kwargs={"token": unsubscribe_token(user=user)}
    )
    send_templated_mail(
        name="reminder",
        to=[user.email],
        context={
            "name": user.name,
            "day": day,
            "todos": [
                {
                    "title": todo.title,
                    "due_date": todo.due_date,
                    "overdue": todo.due_date is not None and todo.due_date < day,
                    "url": site + reverse("todos_web:edit", kwargs={"pk": todo.pk}),
                }
                for todo in todos[:MAIL_TODOS]
            ],
            "more": len(todos) > MAIL_TODOS,
            "list_url": site + reverse("todos_web:list") + "?done=false&ordering=due_date",
            "profile_url": site + reverse("accounts_web:profile"),
            "unsubscribe_url": unsubscribe_url,
        },
        # RFC 8058 one-click unsubscribe: the mail client POSTs to the link.
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    return True
