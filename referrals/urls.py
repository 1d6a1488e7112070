from django.urls import path

from . import care_views, letter_views, step_views, views

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
    path("<uuid:public_id>/behandelplan/", care_views.behandelplan, name="behandelplan"),
    path("<uuid:public_id>/evaluatie/", care_views.evaluatie, name="evaluatie"),
    path("<uuid:public_id>/signaal/", care_views.signaal, name="signaal"),
    path("<uuid:public_id>/signaal/<int:signaal_id>/", care_views.signaal_oppakken, name="signaal_oppakken"),
    path("<uuid:public_id>/perspectiefplan-crisis/", care_views.perspectiefplan_crisis, name="perspectiefplan_crisis"),
    path("<uuid:public_id>/resultaten-bereikt/", care_views.resultaten_bereikt, name="resultaten_bereikt"),
    path("<uuid:public_id>/eindevaluatie/", care_views.eindevaluatie, name="eindevaluatie"),
    path("<uuid:public_id>/vervolg/", care_views.vervolg, name="vervolg"),
    path("<uuid:public_id>/einddatum/", care_views.einddatum, name="einddatum"),
    path("<uuid:public_id>/lichte-hulp-gestopt/", care_views.lichte_hulp_gestopt, name="lichte_hulp_gestopt"),
    path("<uuid:public_id>/vervanging/", care_views.vervanging, name="vervanging"),
    path("<uuid:public_id>/regievoerder/", care_views.regievoerder, name="regievoerder"),
    path("<uuid:public_id>/beschikking/", care_views.beschikking, name="beschikking"),
    path("<uuid:public_id>/gi-bepaling/", care_views.gi_bepaling, name="gi_bepaling"),
    path("<uuid:public_id>/perspectiefplan/", care_views.perspectiefplan, name="perspectiefplan"),
    path("gezin/<uuid:gezin_id>/", care_views.gezin, name="gezin"),
    path("<uuid:public_id>/brieven/<slug:kind>/", letter_views.letter_preview, name="letter_preview"),
    path("<uuid:public_id>/brieven/<slug:kind>/download/", letter_views.letter_download, name="letter_download"),
    path("<uuid:public_id>/brieven/<slug:kind>/bewaren/", letter_views.letter_store, name="letter_store"),
    path("<uuid:public_id>/brieven/taak/<uuid:job_id>/", letter_views.letter_job, name="letter_job"),
    path("<uuid:public_id>/overbruggingszorg/", step_views.overbrugging, name="overbrugging"),
    path("<uuid:public_id>/meldcode/", step_views.meldcode, name="meldcode"),
    path("<uuid:public_id>/brieven/<slug:kind>/verstuurd/", letter_views.letter_sent, name="letter_sent"),
]
