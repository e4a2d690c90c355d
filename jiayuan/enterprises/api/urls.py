from rest_framework.routers import SimpleRouter

from jiayuan.enterprises.api.views import ContractViewSet, EnterpriseViewSet

router = SimpleRouter()
router.register("enterprises", EnterpriseViewSet, basename="api-enterprise")
router.register("contracts", ContractViewSet, basename="api-contract")

urlpatterns = router.urls
