from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.access_log, name="access_log"),
    path("export.csv", views.access_log_csv, name="access_log_csv"),
    path("casus/<uuid:public_id>/inzageverslag.pdf", views.avg_report, name="avg_report"),
]
