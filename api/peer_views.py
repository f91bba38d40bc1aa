"""Receiving a pushed filing package (issue 22, docs/filing-peers.md): the one write
endpoint for another deployment. The body is the package's bytes; review.peers.exchange
reads it, checks its signature against a trusted, unrevoked peer, applies it once and
logs it. No API token: the package's signature is the credential (a token would be a
second secret for the same sender, and would not bind the content as the signature
does). Not a browser's form, so no CSRF (DRF views are exempt; no session is read).
"""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from review.errors import NotPermitted, Refused
from review.models import FilingExchange
from review.peers import exchange

from .permissions import Public


class PushAnswer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[FilingExchange.Status.ACCEPTED, FilingExchange.Status.DUPLICATE]
    )
    kind = serializers.ChoiceField(choices=FilingExchange.Kind.choices)
    idempotency_key = serializers.CharField()
    accepted_on = serializers.DateField(help_text="接收日期：报送的法定报送日期")
    document_id = serializers.CharField(help_text="接收方的文件编号")


class PushRefusal(serializers.Serializer):
    detail = serializers.CharField()


class PeerPackages(APIView):
    """Another deployment pushes a signed filing package (报送, 审查决定, 纠正情况报告).
    201: accepted; 200: a repeat of an accepted package, with the first answer;
    400: the package is refused (its message says why); 403: the sender is not
    trusted or the signature does not verify; 413: larger than the limit."""

    authentication_classes = []  # the signature is the credential
    permission_classes = [Public]
    parser_classes = []  # the body is read as it is, never parsed

    @extend_schema(
        request={"application/octet-stream": OpenApiTypes.BINARY},
        responses={
            201: PushAnswer,
            200: PushAnswer,
            400: PushRefusal,
            403: PushRefusal,
            413: PushRefusal,
        },
        auth=[],
    )
    def post(self, request):
        limit = settings.GUIFAN_PACKAGE_MAX_BYTES
        too_big = {"detail": _("包超过大小上限（%(n)s 字节）") % {"n": limit}}
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return Response(too_big, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        data = request.stream.read(limit + 1) if request.stream is not None else b""
        if len(data) > limit:
            return Response(too_big, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        try:
            row = exchange.receive(data)
        except (exchange.SenderRefused, NotPermitted) as refusal:
            return Response({"detail": str(refusal)}, status=status.HTTP_403_FORBIDDEN)
        except Refused as refusal:
            return Response({"detail": str(refusal)}, status=status.HTTP_400_BAD_REQUEST)
        accepted = row.status == FilingExchange.Status.ACCEPTED
        return Response(
            exchange.answer(row), status=status.HTTP_201_CREATED if accepted else status.HTTP_200_OK
        )
