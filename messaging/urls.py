from django.urls import path

from . import views

app_name = "messaging"

# Included at the root (segment1/urls.py): the per-case pages live under the case's own address.
urlpatterns = [
    path("casussen/<uuid:public_id>/berichten/", views.case_messages, name="case_messages"),
    path("casussen/<uuid:public_id>/berichten/verzoek/", views.jw315_new, name="jw315_new"),
    path("casussen/<uuid:public_id>/berichten/wijziging/", views.jw317_new, name="jw317_new"),
    path("casussen/<uuid:public_id>/berichten/start/", views.jw305_new, name="jw305_new"),
    path("casussen/<uuid:public_id>/berichten/stop/", views.jw307_new, name="jw307_new"),
    path("casussen/<uuid:public_id>/berichten/handmatig/", views.manual, name="manual"),
    path(
        "casussen/<uuid:public_id>/berichten/bepaling/<uuid:bepaling_id>/",
        views.bepaling_jw301,
        name="bepaling_jw301",
    ),
    path("casussen/<uuid:public_id>/berichten/lopend/", views.lopend_new, name="lopend_new"),
    path("casussen/<uuid:public_id>/berichten/lopend/<uuid:lopend_id>/", views.lopend_end, name="lopend_end"),
    path("berichten/", views.traffic, name="traffic"),
    path("berichten/inlezen/", views.import_view, name="import"),
    path("berichten/<uuid:message_id>/", views.message_detail, name="message_detail"),
    path("berichten/<uuid:message_id>/download/", views.message_download, name="download"),
    path("berichten/<uuid:message_id>/pdf/", views.message_pdf, name="pdf"),
    path("berichten/<uuid:message_id>/verzenden/", views.message_send, name="send"),
    path("berichten/<uuid:message_id>/corrigeren/", views.jw315_correct, name="correct"),
    path("berichten/<uuid:message_id>/toewijzen/", views.accept, name="accept"),
    path("berichten/<uuid:message_id>/antwoorden/", views.refuse, name="refuse"),
]
