"""审查建议 in the annual report (法规规章备案条例 art. 9): received in the period,
answered, answered within the handling period, and led to a 审查意见 (a correction).
Counts only: no name, no contact, no receipt."""

from django.db.models import Count, F, Q

from ...models import ReviewSuggestion

SUGGESTION_COUNTS = ["received", "answered", "answered_on_time", "led_to_correction"]
SUGGESTION_LABELS = {
    "received": "收到审查建议",
    "answered": "已答复",
    "answered_on_time": "按期答复",
    "led_to_correction": "据此提出审查意见",
}


def count_suggestions(start, end, scope_ids):
    """One query: the suggestions received from `start` to `end` addressed to a body in
    `scope_ids` or about one of its documents (every suggestion when None)."""
    rows = ReviewSuggestion.objects.filter(received_on__gte=start, received_on__lte=end)
    if scope_ids is not None:
        rows = rows.filter(
            Q(authority_id__in=scope_ids) | Q(document__organisation_id__in=scope_ids)
        )
    counted = rows.aggregate(
        received=Count("pk"),
        answered=Count("pk", filter=Q(replied_on__isnull=False)),
        answered_on_time=Count("pk", filter=Q(replied_on__lte=F("due_on"))),
        led_to_correction=Count("pk", filter=Q(correction__isnull=False)),
    )
    return {key: counted[key] or 0 for key in SUGGESTION_COUNTS}
