from rest_framework.routers import SimpleRouter

from jiayuan.governance.api.views import ManagementCommitteeViewSet, OwnersCommitteeViewSet

router = SimpleRouter()
router.register("owners-committees", OwnersCommitteeViewSet, basename="api-owners-committee")
router.register("management-committees", ManagementCommitteeViewSet, basename="api-management-committee")

urlpatterns = router.urls
