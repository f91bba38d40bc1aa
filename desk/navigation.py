"""The navigation: only the pages the user's roles may open (never a link that
answers 403). Each entry names the roles its view requires; the views check the
same roles (document_new: a drafter somewhere; filing_audit: outputs.AUDIT_ROLES;
the comment queue: review.comments.MODERATORS; the catalogue: any role,
catalogue.CATALOGUE_ROLES)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from review.comments import MODERATORS
from review.states import Role
from workflows.roles import keys_of, parse_key

from .views.catalogue import CATALOGUE_ROLES
from .views.evaluations import WORK_ROLES
from .views.outputs import AUDIT_ROLES
from .views.reconciliation import RECONCILE_ROLES

# (URL name, label, roles of which the user must hold one anywhere; None: everyone)
LINKS = [
    ("desk:home", _("首页"), None),
    ("desk:inbox", _("我的待办"), None),
    ("desk:queue", _("待领取"), None),
    ("desk:archive", _("已办"), None),
    ("desk:register", _("文件台账"), None),
    ("desk:document_new", _("新建文件"), (Role.DRAFTER,)),
    ("desk:comment_queue", _("意见审核"), MODERATORS),
    ("desk:suggestions", _("审查建议"), (Role.FILING_REVIEWER,)),
    ("desk:my_consultations", _("征求意见答复"), (Role.EXPERT,)),
    ("desk:filing_audit", _("备案审查报告"), AUDIT_ROLES),
    ("desk:catalogue", _("文件目录"), CATALOGUE_ROLES),
    ("desk:evaluations", _("评估与清理"), WORK_ROLES),
    ("desk:reconciliation", _("发文核对"), RECONCILE_ROLES),
    ("public:index", _("公开征求意见"), None),
    ("accounts:overview", _("双因素认证"), None),
    ("accounts:password", _("修改密码"), None),
    ("accounts:delegation", _("代理"), None),
    ("accounts:security_log", _("安全日志"), (Role.SECURITY_AUDITOR,)),
    # 三员分立 (accounts.people_views): users (user and system administrators), roles,
    # second factors and lockouts (security administrator).
    ("accounts:people", _("用户管理"), (Role.USER_ADMIN, Role.ADMIN, Role.SECURITY_ADMIN)),
    ("accounts:lockouts", _("账号锁定"), (Role.SECURITY_ADMIN,)),
]


def roles_of(user):
    """The roles the user holds in any organisation."""
    return {parse_key(key)[0] for key in keys_of(user)}


def links_for(user):
    """[(url, label, URL name)] of the pages the user may open, in menu order."""
    held = roles_of(user)
    links = [
        (reverse(name), label, name)
        for name, label, roles in LINKS
        if roles is None
        or held.intersection(roles)
        or (user.is_superuser and name.startswith("accounts:"))
    ]
    if user.is_staff:
        links.append((reverse("admin:index"), _("系统管理"), "admin:index"))
    return links
