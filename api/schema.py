"""The OpenAPI schema's description of the token, and the docs page without inline
code (the site's Content-Security-Policy allows scripts and styles from 'self' only)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.views import SpectacularSwaggerSplitView


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "gf_… 令牌，由本单位系统管理员在 /api/tokens/ 创建",
        }


class Docs(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar's static files; its start-up script is
    served from a URL of its own (the split view), and the page's few styles are in
    our stylesheet, so nothing inline needs 'unsafe-inline'."""

    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
