from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("nieuw/", views.case_new, name="case_new"),
    path("segmentcheck/", views.segment_check, name="segment_check"),
    path("<uuid:public_id>/", views.case_detail, name="case_detail"),
    path("<uuid:public_id>/ipva/", views.ipva, name="ipva"),
    path("<uuid:public_id>/telefonisch-overleg/", views.phone_consultation, name="phone_consultation"),
    path("<uuid:public_id>/documenten/nieuw/", views.document_new, name="document_new"),
    path("<uuid:public_id>/documenten/<uuid:document_id>/", views.document_download, name="document_download"),
    path("<uuid:public_id>/aanmeldgesprek/plannen/", views.plan_aanmeldgesprek, name="plan_aanmeldgesprek"),
    path("<uuid:public_id>/aanmeldgesprek/gehouden/", views.aanmeldgesprek_gehouden, name="aanmeldgesprek_gehouden"),
    path("<uuid:public_id>/advies/", views.advies, name="advies"),
    path("<uuid:public_id>/zorg-gestart/", views.zorg_gestart, name="zorg_gestart"),
    path("<uuid:public_id>/stap/<slug:name>/", views.transition, name="transition"),
]
