"""django-otp's own admin pages would let an administrator add or delete devices
without an audit event: they are removed. A reset goes through the audited page
(/accounts/2fa/users/) or `manage.py reset_second_factor`."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
