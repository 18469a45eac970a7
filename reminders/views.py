"""The unsubscribe link of the reminder mail: no sign-in, the signed link is the key."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from accounts.models import User
from reminders import services, tokens


@method_decorator([csrf_exempt, never_cache], name="dispatch")
class UnsubscribeView(View):
    """
    GET asks (mail scanners open links, and must not unsubscribe anyone); POST
    turns reminders off: the page's button, or a mail client's RFC 8058
    one-click POST, which carries no CSRF token (the signed link stands for it).
    An unknown or tampered link is a 404.
    """

    template_name = "reminders/unsubscribe.html"

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        user = self.user(token)
        return render(request, self.template_name, {"email": user.email, "done": False})

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        user = self.user(token)
        services.reminders_turn_off(user=user)
        return render(request, self.template_name, {"email": user.email, "done": True})

    def user(self, token: str) -> User:
        user = tokens.user_from_unsubscribe_token(token)
        if user is None:
            raise Http404
        return user
