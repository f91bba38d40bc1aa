from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import peer_views, schema, token_views, views

app_name = "api"

urlpatterns = [
    path("", views.Root.as_view(), name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", schema.Docs.as_view(), name="docs"),
    path("tokens/", token_views.token_page, name="tokens"),
    path("tokens/<int:pk>/revoke/", token_views.revoke, name="revoke"),
    path("documents/", views.DocumentList.as_view(), name="documents"),
    path("documents/<int:pk>/", views.DocumentDetail.as_view(), name="document"),
    path("documents/<int:pk>/events/", views.DocumentEvents.as_view(), name="events"),
    path("register/", views.Register.as_view(), name="register"),
    path("audit/", views.FilingAudit.as_view(), name="audit"),
    path("catalogue/", views.Catalogue.as_view(), name="catalogue"),
    path("comment-periods/", views.CommentPeriods.as_view(), name="comment_periods"),
    path("peers/packages/", peer_views.PeerPackages.as_view(), name="peer_packages"),
    path(
        "comment-periods/<int:pk>/comments/",
        views.PublishedComments.as_view(),
        name="comments",
    ),
]
