"""Where browsers send Content-Security-Policy violation reports (report-uri): each is
logged as a warning on the "guifan.csp" logger, with the request id."""

import json
import logging

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger("guifan.csp")
MAX_REPORT_BYTES = 16 * 1024


@csrf_exempt  # sent by the browser itself, without a token
@require_POST
def csp_report(request):
    body = request.body[:MAX_REPORT_BYTES]
    try:
        report = json.loads(body or b"{}")
    except ValueError:
        report = {"unparsed": body.decode("utf-8", "replace")}
    logger.warning("csp violation", extra={"csp_report": report})
    return HttpResponse(status=204)
