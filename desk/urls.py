from django.contrib.auth import views as auth_views
from django.urls import path

from config.superuser import LoginForm  # the superuser's refusal (三员分立)

from .views import (
    catalogue,
    comments,
    consultations,
    documents,
    files,
    filing,
    home,
    outputs,
    register,
    suggestions,
    tasks,
    texts,
    validity,
)

app_name = "desk"

urlpatterns = [
    path("", home.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html",
            next_page="desk:inbox",
            authentication_form=LoginForm,
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="desk:login"), name="logout"),
    path("tasks/", tasks.inbox, name="inbox"),
    path("tasks/queue/", tasks.queue, name="queue"),
    path("tasks/archive/", tasks.archive, name="archive"),
    path("tasks/<slug:flow_label>/<int:process_pk>/<int:task_pk>/", tasks.task_detail, name="task"),
    path(
        "tasks/<slug:flow_label>/<int:process_pk>/<int:task_pk>/claim/",
        tasks.task_claim,
        name="task_claim",
    ),
    path(
        "tasks/<slug:flow_label>/<int:process_pk>/<int:task_pk>/release/",
        tasks.task_release,
        name="task_release",
    ),
    path("documents/", register.register, name="register"),
    path("documents/new/", documents.document_new, name="document_new"),
    path("documents/<int:pk>/", documents.document_detail, name="document"),
    path("documents/<int:pk>/versions/", documents.add_version, name="add_version"),
    path("documents/<int:pk>/attachments/", documents.add_attachment, name="add_attachment"),
    path("documents/<int:pk>/versions/<int:number>/", texts.version_text, name="version_text"),
    path(
        "documents/<int:pk>/versions/<int:number>/download/",
        files.version_file,
        name="version_file",
    ),
    path(
        "documents/<int:pk>/versions/<int:number>/articles/<int:position>/notes/",
        texts.add_note,
        name="article_note",
    ),
    path("documents/<int:pk>/compare/", texts.compare, name="compare"),
    path(
        "documents/<int:pk>/attachments/<int:attachment_pk>/download/",
        files.attachment_file,
        name="attachment_file",
    ),
    path("documents/<int:pk>/comment/close/", documents.close_comment, name="close_comment"),
    path("documents/<int:pk>/filing-review/extend/", documents.extend_review, name="extend_review"),
    path("documents/<int:pk>/filing/escalate/", filing.escalate, name="filing_escalate"),
    path("documents/<int:pk>/filing/reopen/", filing.reopen_review, name="filing_reopen"),
    path("documents/<int:pk>/filing/demand/", filing.demand_filing, name="filing_demand"),
    path(
        "documents/<int:pk>/filing/demand/notify/",
        filing.notify_late_filing,
        name="filing_notify_late",
    ),
    path("documents/<int:pk>/repeal/", validity.repeal, name="repeal"),
    path("documents/<int:pk>/amend/", validity.amend, name="amend"),
    path("documents/<int:pk>/declare-invalid/", validity.declare_invalid, name="declare_invalid"),
    path("comments/", comments.queue, name="comment_queue"),
    path("documents/<int:pk>/comments/", comments.moderation, name="comments"),
    path(
        "documents/<int:pk>/comments/<int:comment_pk>/moderate/",
        comments.moderate,
        name="comment_moderate",
    ),
    path("documents/<int:pk>/comments/answers/", comments.answers, name="comment_answers"),
    path("documents/<int:pk>/comments/cluster/", comments.cluster, name="comment_cluster"),
    path(
        "documents/<int:pk>/comments/<int:comment_pk>/answer/",
        comments.answer,
        name="comment_answer",
    ),
    path(
        "documents/<int:pk>/clusters/<int:cluster_pk>/answer/",
        comments.answer_cluster,
        name="cluster_answer",
    ),
    path(
        "documents/<int:pk>/outputs/<slug:kind>.<slug:fmt>",
        outputs.document_output,
        name="document_output",
    ),
    path("reports/filing-audit/", outputs.filing_audit, name="filing_audit"),
    path(
        "reports/filing-audit/chart-<slug:which>.png",
        outputs.filing_audit_chart,
        name="filing_audit_chart",
    ),
    path("catalogue/", catalogue.catalogue_page, name="catalogue"),
    path(
        "documents/<int:pk>/consultations/",
        consultations.document_consultations,
        name="consultations",
    ),
    path("consultations/", consultations.my_consultations, name="my_consultations"),
    path("consultations/<int:pk>/", consultations.answer, name="consultation_answer"),
    path("suggestions/", suggestions.suggestion_list, name="suggestions"),
    path("suggestions/<int:pk>/", suggestions.suggestion_detail, name="suggestion"),
    path("suggestions/<int:pk>/claim/", suggestions.claim, name="suggestion_claim"),
    path("suggestions/<int:pk>/link/", suggestions.link, name="suggestion_link"),
    path("suggestions/<int:pk>/reopen/", suggestions.reopen, name="suggestion_reopen"),
    path("suggestions/<int:pk>/opinion/", suggestions.opinion, name="suggestion_opinion"),
    path("suggestions/<int:pk>/answer/", suggestions.answer, name="suggestion_answer"),
    path("suggestions/<int:pk>/evidence/", suggestions.evidence, name="suggestion_evidence"),
    path(
        "suggestions/<int:pk>/reply.<slug:fmt>",
        suggestions.reply_letter,
        name="suggestion_reply",
    ),
]
