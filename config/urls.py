from django.contrib import admin
from django.urls import include, path

from .csp import csp_report
from .health import HealthView
from .superuser import AdminLoginForm

admin.site.site_header = "规范性文件备案审查系统"
admin.site.site_title = "规范性文件备案审查系统"
admin.site.index_title = "系统管理"
admin.site.login_form = AdminLoginForm  # the superuser's refusal (三员分立)

urlpatterns = [
    path("health/", HealthView.as_view(), name="health"),
    path("csp-report/", csp_report, name="csp_report"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/2fa/", include("accounts.urls")),
    path("public/", include("portal.urls")),
    path("notifications/", include("notifications.urls")),
    path("api/", include("api.urls")),
    path("", include("desk.urls")),
]

handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
