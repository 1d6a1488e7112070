from django.urls import path

from . import views

app_name = "deadlines"

urlpatterns = [
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("dashboard/lijst/<slug:kind>/", views.dashboard_list, name="dashboard_list"),
    path("meldingen/", views.notifications, name="notifications"),
    path("termijnen/<int:pk>/opschorten/", views.pause, name="pause"),
    path("termijnen/<int:pk>/verlengen/", views.extend, name="extend"),
]
