from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start script as a file of its own, so the page keeps the strict CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("token/", views.TokenView.as_view(), name="token"),
    path("cases/", views.CaseList.as_view(), name="cases"),
    path("cases/<uuid:case_id>/", views.CaseDetail.as_view(), name="case"),
    path("cases/<uuid:case_id>/timeline/", views.CaseTimeline.as_view(), name="timeline"),
    path("cases/<uuid:case_id>/transitions/", views.CaseTransitions.as_view(), name="transitions"),
    path("cases/<uuid:case_id>/transitions/<slug:name>/", views.FireTransition.as_view(), name="fire"),
    path("cases/<uuid:case_id>/coordination/", views.CaseCoordination.as_view(), name="coordination"),
    path("cases/<uuid:case_id>/deadlines/", views.CaseDeadlines.as_view(), name="deadlines"),
    path("cases/<uuid:case_id>/documents/", views.CaseDocuments.as_view(), name="documents"),
    path("cases/<uuid:case_id>/documents/<uuid:document_id>/", views.DocumentDetail.as_view(), name="document"),
    path(
        "cases/<uuid:case_id>/documents/<uuid:document_id>/content/",
        views.DocumentContent.as_view(),
        name="document_content",
    ),
    path("messages/", views.MessageList.as_view(), name="messages"),
    path("messages/import/", views.MessageImport.as_view(), name="message_import"),
    path("messages/<uuid:message_id>/", views.MessageDetail.as_view(), name="message"),
    path("messages/<uuid:message_id>/xml/", views.MessageXml.as_view(), name="message_xml"),
]
