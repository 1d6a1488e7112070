from django.urls import path

from . import views

app_name = "coordination"

urlpatterns = [
    path("<uuid:public_id>/aanvragen/", views.request_coordination, name="request"),
]
