from django.core.exceptions import PermissionDenied


class Refused(Exception):
    """An operation the rules do not allow now; the message says which rule, in Chinese."""

    def __init__(self, message):
        self.message = str(message)
        super().__init__(self.message)


class NotPermitted(PermissionDenied):
    """The user does not hold the role this operation needs (a 403 in views)."""

    def __init__(self, message):
        self.message = str(message)
        super().__init__(self.message)
