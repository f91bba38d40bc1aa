"""At login: remember in the session whether this login needs no second factor, so
that pages do not look up the person's devices on every request."""

from .middleware import FREE, destination, free_mark


def remember_if_free(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session") and destination(user) is None:
        request.session[FREE] = free_mark(user)
