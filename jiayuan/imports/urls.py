from django.urls import path

from jiayuan.imports.views import ImportJobView

app_name = "imports"

urlpatterns = [
    path("<int:pk>/", ImportJobView.as_view(), name="job"),
]
