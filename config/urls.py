from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from accounts.throttling import auth_throttled
from calendars.views import CalendarFeedView
from core.views.docs import RedocView, SwaggerView
from core.views.pages import HomeView, favicon

api_v1 = [
    path("auth/", include("accounts.urls")),
    path("auth/", include("calendars.urls")),
    path("auth/", include("portability.urls")),
    path("", include("todos.urls")),
    path("", include("lists.urls")),
]

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("favicon.ico", favicon, name="favicon"),
    # The web app: server-rendered pages on session sign-in.
    path("accounts/", include("accounts.web_urls")),
    path("accounts/", include("portability.web_urls")),
    path("todos/", include("todos.web_urls")),
    path("reminders/", include("reminders.web_urls")),
    path("accounts/profile/calendar/", include("calendars.web_urls")),
    # A calendar client's subscription: the secret address is the key.
    path("calendar/<str:secret>.ics", CalendarFeedView.as_view(), name="calendar-feed"),
    path("", include("lists.web_urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
    # The admin's password forms share the API's per-IP budget (matched
    # before the admin's own routes to the same views, which they wrap alike).
    path("admin/login/", auth_throttled(admin.site.login)),
    path(
        "admin/password_change/",
        admin.site.admin_view(auth_throttled(admin.site.password_change), cacheable=True),
    ),
    path("admin/", admin.site.urls),
]

handler400 = "core.views.pages.bad_request"
handler403 = "core.views.pages.permission_denied"
handler404 = "core.views.pages.page_not_found"
handler500 = "core.views.pages.server_error"
