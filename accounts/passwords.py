"""Password policy (issue 16, part 5), as Django password validators
(AUTH_PASSWORD_VALIDATORS in config/settings.py; docs/security.md).

- CharacterClassesValidator: at least GUIFAN_PASSWORD_CLASSES (0 = off, at most 4)
  of lower-case letters, upper-case letters, digits and other characters.
- PasswordChangeRecorder checks nothing: Django calls its `password_changed` after a
  new password is saved, and it records the time (for GUIFAN_PASSWORD_MAX_DAYS) and a
  security-log entry.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from review import security_log
from review.models import SecurityKind

from .security import log

CLASSES = (str.islower, str.isupper, str.isdigit)


def character_classes(password):
    """How many of lower, upper, digit and other the password uses."""
    found = {i for ch in password for i, test in enumerate(CLASSES) if test(ch)}
    if any(not (ch.islower() or ch.isupper() or ch.isdigit()) for ch in password):
        found.add(len(CLASSES))
    return len(found)


class CharacterClassesValidator:
    def required(self):
        return min(int(getattr(settings, "GUIFAN_PASSWORD_CLASSES", 0)), 4)

    def validate(self, password, user=None):
        required = self.required()
        if required and character_classes(password) < required:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        required = self.required()
        if not required:
            return ""
        return ngettext(
            "密码须包含小写字母、大写字母、数字和其他符号中的至少 %(count)d 类。",
            "密码须包含小写字母、大写字母、数字和其他符号中的至少 %(count)d 类。",
            required,
        ) % {"count": required}


class PasswordChangeRecorder:
    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        if user is not None and user.pk:
            security_log.password_changed(user)
            log(SecurityKind.PASSWORD_CHANGED, user=user)

    def get_help_text(self):
        return ""
