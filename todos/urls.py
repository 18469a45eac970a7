from rest_framework.routers import SimpleRouter

from todos.apis import TodoViewSet

app_name = "todos"

# Path converters: `{id}` is `<int:pk>`, so the schema types it as an integer
# and a non-integer id matches no route (a JSON 404).
router = SimpleRouter(use_regex_path=False)
router.register("todos", TodoViewSet, basename="todo")

urlpatterns = router.urls
