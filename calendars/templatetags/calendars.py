"""The profile page's calendar feed card: ``{% load calendars %}{% calendar_feed_card %}``."""

from typing import Any

from django import template
from django.urls import reverse

from accounts.http import authenticated_user
from calendars import selectors

register = template.Library()


@register.inclusion_tag("calendars/_feed_card.html", takes_context=True)
def calendar_feed_card(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    secret = selectors.feed_secret(user=authenticated_user(request))
    url = request.build_absolute_uri(reverse("calendar-feed", args=[secret])) if secret else None
    return {"url": url, "csrf_token": context.get("csrf_token")}
