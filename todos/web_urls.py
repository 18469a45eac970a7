from django.urls import path

from todos import views

app_name = "todos_web"

urlpatterns = [
    path("", views.TodoListView.as_view(), name="list"),
    path("<int:pk>/", views.TodoItemView.as_view(), name="item"),
    path("<int:pk>/toggle/", views.TodoToggleView.as_view(), name="toggle"),
    path("<int:pk>/edit/", views.TodoEditView.as_view(), name="edit"),
    path("<int:pk>/delete/", views.TodoDeleteView.as_view(), name="delete"),
]
