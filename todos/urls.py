from rest_framework.routers import SimpleRouter

from todos.apis import TodoViewSet

app_name = "todos"

router = SimpleRouter()
router.register("todos", TodoViewSet, basename="todo")

urlpatterns = router.urls
