from django.urls import path

from . import security_views, views

app_name = "accounts"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("enrol/", views.enrol, name="enrol"),
    path("verify/", views.verify, name="verify"),
    path("codes/", views.new_codes, name="new_codes"),
    path("users/", views.users, name="users"),
    path("users/<int:pk>/reset/", views.reset, name="reset"),
    path("security-log/", security_views.security_log_page, name="security_log"),
    path("password/", security_views.password, name="password"),
]
