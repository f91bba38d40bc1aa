from django.urls import path

from . import people_views, security_views, views

app_name = "accounts"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("enrol/", views.enrol, name="enrol"),
    path("verify/", views.verify, name="verify"),
    path("codes/", views.new_codes, name="new_codes"),
    path("users/", views.users, name="users"),
    path("users/<int:pk>/reset/", views.reset, name="reset"),
    path("people/", people_views.index, name="people"),
    path("people/<slug:code>/", people_views.organisation, name="people_org"),
    path("people/<slug:code>/new/", people_views.create, name="people_create"),
    path(
        "people/<slug:code>/<int:pk>/deactivate/",
        people_views.set_inactive,
        name="people_deactivate",
    ),
    path(
        "people/<slug:code>/<int:pk>/reactivate/", people_views.set_active, name="people_reactivate"
    ),
    path("people/<slug:code>/<int:pk>/grant/", people_views.grant, name="people_grant"),
    path("people/<slug:code>/roles/<int:pk>/revoke/", people_views.revoke, name="people_revoke"),
    path("delegation/", people_views.delegation, name="delegation"),
    path("delegation/<int:pk>/end/", people_views.end_delegation, name="delegation_end"),
    path("lockouts/", people_views.lockouts, name="lockouts"),
    path("security-log/", security_views.security_log_page, name="security_log"),
    path("password/", security_views.password, name="password"),
]
