from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("tweede-factor/", views.otp_verify, name="otp_verify"),
    path("tweede-factor/instellen/", views.otp_setup, name="otp_setup"),
    path("contactlijst/", views.directory, name="directory"),
]
