from rest_framework.routers import SimpleRouter

from jiayuan.campaigns.api.views import CampaignViewSet

router = SimpleRouter()
router.register("campaigns", CampaignViewSet, basename="api-campaign")

urlpatterns = router.urls
