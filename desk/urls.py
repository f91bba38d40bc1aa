from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from . import comment_views, output_views, views

app_name = "desk"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="desk:inbox", permanent=False), name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", next_page="desk:inbox"
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="desk:login"), name="logout"),
    path("tasks/", views.inbox, name="inbox"),
    path("tasks/queue/", views.queue, name="queue"),
    path("tasks/archive/", views.archive, name="archive"),
    path("tasks/<slug:flow_label>/<int:process_pk>/<int:task_pk>/", views.task_detail, name="task"),
    path(
        "tasks/<slug:flow_label>/<int:process_pk>/<int:task_pk>/claim/",
        views.task_claim,
        name="task_claim",
    ),
    path(
        "tasks/<slug:flow_label>/<int:process_pk>/<int:task_pk>/release/",
        views.task_release,
        name="task_release",
    ),
    path("documents/", views.register, name="register"),
    path("documents/new/", views.document_new, name="document_new"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("documents/<int:pk>/versions/", views.add_version, name="add_version"),
    path("documents/<int:pk>/attachments/", views.add_attachment, name="add_attachment"),
    path("documents/<int:pk>/comment/close/", views.close_comment, name="close_comment"),
    path("documents/<int:pk>/filing-review/extend/", views.extend_review, name="extend_review"),
    path("comments/", comment_views.queue, name="comment_queue"),
    path("documents/<int:pk>/comments/", comment_views.moderation, name="comments"),
    path(
        "documents/<int:pk>/comments/<int:comment_pk>/moderate/",
        comment_views.moderate,
        name="comment_moderate",
    ),
    path("documents/<int:pk>/comments/answers/", comment_views.answers, name="comment_answers"),
    path("documents/<int:pk>/comments/cluster/", comment_views.cluster, name="comment_cluster"),
    path(
        "documents/<int:pk>/comments/<int:comment_pk>/answer/",
        comment_views.answer,
        name="comment_answer",
    ),
    path(
        "documents/<int:pk>/clusters/<int:cluster_pk>/answer/",
        comment_views.answer_cluster,
        name="cluster_answer",
    ),
    path(
        "documents/<int:pk>/outputs/<slug:kind>.<slug:fmt>",
        output_views.document_output,
        name="document_output",
    ),
    path("reports/filing-audit/", output_views.filing_audit, name="filing_audit"),
]
