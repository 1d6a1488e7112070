from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from . import views

admin.site.site_header = "Segment 1 Hart van Brabant: beheer"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="start", permanent=False)),
    path("start/", views.start, name="start"),
    path("account/", include("accounts.urls")),
    path("casussen/", include("referrals.urls")),
    path("coordinatie/", include("coordination.urls")),
    path("api/v1/", include("api.urls")),
    path("", include("messaging.urls")),
    path("privacy/", include("privacy.urls")),
    path("beheer/", admin.site.urls),
    path("", include("deadlines.urls")),
]
