from rest_framework.routers import SimpleRouter

from jiayuan.estates.api.views import EstateViewSet, OwnershipViewSet, OwnerViewSet, UnitViewSet

router = SimpleRouter()
router.register("estates", EstateViewSet, basename="api-estate")
router.register("units", UnitViewSet, basename="api-unit")
router.register("owners", OwnerViewSet, basename="api-owner")
router.register("ownerships", OwnershipViewSet, basename="api-ownership")

urlpatterns = router.urls
