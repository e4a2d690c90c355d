from rest_framework.routers import SimpleRouter

from jiayuan.estates.api.views import EstateViewSet

router = SimpleRouter()
router.register("estates", EstateViewSet, basename="api-estate")

urlpatterns = router.urls
