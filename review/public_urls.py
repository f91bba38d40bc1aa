from django.urls import path

from . import public_views

app_name = "public"

urlpatterns = [
    path("", public_views.index, name="index"),
    path("documents/<int:pk>/", public_views.document, name="document"),
    path("documents/<int:pk>/comments/", public_views.submit, name="submit"),
    path("documents/<int:pk>/draft/", public_views.download_draft, name="draft"),
    path("documents/<int:pk>/notes/<int:note_pk>/", public_views.download_note, name="note"),
    path("receipts/", public_views.receipt, name="receipt_lookup"),
    path("receipts/<str:code>/", public_views.receipt, name="receipt"),
]
