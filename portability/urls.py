from django.urls import path

from portability import apis

app_name = "portability"

urlpatterns = [
    path("export/", apis.ExportView.as_view(), name="export"),
    path("import/", apis.ImportView.as_view(), name="import"),
]
