"""An evaluation's conclusion as work: a re-issued document (修改, or 继续有效 unless
the jurisdiction records it only) starts its own issuing process, so that it goes
through legality review, deliberation, publication and filing like any other
(domain-rules §8; review.actions.evaluation)."""

from django.db import transaction

from review import actions

from .flows import IssuingFlow


def conclude(evaluation, *, by, outcome, report, note=""):
    with transaction.atomic():
        evaluation = actions.conclude_evaluation(
            evaluation, by=by, outcome=outcome, report=report, note=note
        )
        if evaluation.successor is not None:
            IssuingFlow.start.run(document=evaluation.successor)
    return evaluation
