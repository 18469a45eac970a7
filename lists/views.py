from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView


class InvitationsView(LoginRequiredMixin, TemplateView):
    template_name = "lists/invitations.html"
