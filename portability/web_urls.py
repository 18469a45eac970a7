from django.urls import path

from portability import views

app_name = "portability_web"

urlpatterns = [
    path("export.<slug:format_name>", views.ExportDownloadView.as_view(), name="export"),
]
