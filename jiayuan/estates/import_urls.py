app_name = "estates_import"
urlpatterns: list = []
