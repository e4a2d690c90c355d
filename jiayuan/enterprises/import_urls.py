app_name = "enterprises_import"
urlpatterns: list = []
