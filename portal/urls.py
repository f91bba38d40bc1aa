from django.urls import path

from . import catalogue, consult, privacy, suggestions, views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/comments/", views.submit, name="submit"),
    path("documents/<int:pk>/draft/", views.download_draft, name="draft"),
    path("documents/<int:pk>/notes/<int:note_pk>/", views.download_note, name="note"),
    path("catalogue/", catalogue.catalogue_page, name="catalogue"),
    path("receipts/", views.receipt, name="receipt_lookup"),
    path("receipts/<str:code>/", views.receipt, name="receipt"),
    path("receipts/<str:code>/privacy/", privacy.request_data, name="receipt_privacy"),
    path("privacy/", privacy.privacy, name="privacy"),
    path("consult/<str:token>/", consult.consult, name="consult"),
    path("suggestions/", suggestions.suggestion_form, name="suggestion"),
    path("suggestions/submit/", suggestions.submit, name="suggestion_submit"),
    path("suggestions/status/", suggestions.status, name="suggestion_status_lookup"),
    path("suggestions/status/<str:code>/", suggestions.status, name="suggestion_status"),
    path("suggestions/status/<str:code>/privacy/", suggestions.erase, name="suggestion_privacy"),
]
