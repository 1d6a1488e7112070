from django.urls import path

from . import views

app_name = "coordination"

urlpatterns = [
    path("<uuid:public_id>/", views.case_coordination, name="case"),
    path("<uuid:public_id>/aanvragen/", views.request_coordination, name="request"),
    path("<uuid:public_id>/coordinator/", views.assign_coordinator, name="assign"),
    path("<uuid:public_id>/niveau/<str:name>/", views.level_transition, name="level"),
    path("<uuid:public_id>/toestemming/", views.consent_new, name="consent"),
    path("<uuid:public_id>/toestemming/<int:consent_id>/intrekken/", views.consent_withdraw, name="consent_withdraw"),
    path("<uuid:public_id>/delen/<str:subject>/", views.share, name="share"),
    path("<uuid:public_id>/escalatie/", views.escalation_new, name="escalation"),
    path("<uuid:public_id>/escalatie/<int:escalation_id>/gesprek/", views.escalation_talk, name="escalation_talk"),
    path(
        "<uuid:public_id>/escalatie/<int:escalation_id>/commitment/",
        views.escalation_commitment,
        name="escalation_commitment",
    ),
]
