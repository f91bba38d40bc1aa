"""What each human task does when it is done: the review action its flow node calls.

One function per node, taking (document, user, data), where `data` is what the
task's form cleaned (the pages map each node to its form; desk/forms.py). The flow
says who acts next; the action says what is lawful; nothing here decides a rule.
"""

from review import actions

from .flows import FilingReviewFlow, IssuingFlow


def draft(document, user, data):
    if data["decision"] == "comment":
        actions.open_comment_period(
            document,
            by=user,
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            channel=data["channel"],
            urgent_reason=data["urgent_reason"],
        )
    elif data["decision"] == "withdraw":
        actions.withdraw(document, by=user, reason=data["withdraw_reason"])
    else:
        actions.submit_for_review(
            document,
            by=user,
            requested_working_days=data["requested_working_days"],
            urgent_reason=data["urgent_reason"],
        )


def legal_review(document, user, data):
    actions.classify(
        document, by=user, normative=data["normative"], note=data["classification_note"]
    )
    if data["normative"]:
        actions.record_legality_review(
            document,
            by=user,
            outcome=data["outcome"],
            checklist=data["checklist"],
            opinion=data["opinion"],
            flags_note=data.get("flags_note", ""),
        )


def advisor_signoff(document, user, data):
    actions.sign_advisor_opinion(document, by=user, opinion=data["opinion"], agrees=data["agrees"])


def deliberate(document, user, data):
    actions.record_deliberation(document, by=user, **data)


def register(document, user, data):
    actions.register_and_number(document, by=user, number=data.get("number", ""))


def publish(document, user, data):
    actions.publish(document, by=user, **data)


def file(document, user, data):
    actions.file_with_authority(document, by=user, report=data["report"])


def register_filing(document, user, data):
    """备案条例 art. 7: the registration decision at receipt."""
    if data["decision"] == "defer":
        actions.defer_filing(
            document, by=user, missing=data["missing"], to_supply=data["to_supply"]
        )
    elif data["decision"] == "refuse":
        actions.refuse_registration(document, by=user, reason=data["refusal_reason"])
    else:
        actions.register_filing(document, by=user, note=data["note"])


def resubmit(document, user, data):
    """补充或者重新报送: the supplied material, then the filing again."""
    if data.get("upload") is not None:
        actions.add_attachment(document, by=user, kind=data["kind"], upload=data["upload"])
    file(document, user, data)


def filing_review(document, user, data):
    if data["decision"] == "correct":
        actions.require_correction(
            document,
            by=user,
            substantive=data["substantive"],
            findings=data["findings"],
            suggestion=data["suggestion"],
        )
    else:
        actions.accept_filing(
            document,
            by=user,
            substantive=data["substantive"],
            findings=data["findings"],
            flags_note=data.get("flags_note", ""),
        )


def correct(document, user, data):
    actions.report_correction(
        document,
        by=user,
        handling_report=data["handling_report"],
        text=data.get("text"),
        upload=data.get("upload"),
        repeal_number=data.get("repeal_number", ""),
        repealed_on=data.get("repealed_on"),
    )


def recheck(document, user, data):
    decision = data["decision"]
    if decision == "reopen":
        actions.reopen_correction(document, by=user, reason=data["note"])
    elif decision in actions.ESCALATIONS:
        actions.escalate(
            document,
            by=user,
            kind=decision,
            reason=data["note"],
            decision_number=data["decision_number"],
            decided_on=data["decided_on"],
            effective_on=data["effective_on"],
        )
    else:
        actions.accept_correction(document, by=user, note=data["note"])


# (flow, node name) -> handler: every human task of both flows.
HANDLERS = {
    (IssuingFlow, "draft"): draft,
    (IssuingFlow, "legal_review"): legal_review,
    (IssuingFlow, "advisor_signoff"): advisor_signoff,
    (IssuingFlow, "deliberate"): deliberate,
    (IssuingFlow, "register"): register,
    (IssuingFlow, "publish"): publish,
    (IssuingFlow, "file"): file,
    (FilingReviewFlow, "register"): register_filing,
    (FilingReviewFlow, "review"): filing_review,
    (FilingReviewFlow, "resubmit"): resubmit,
    (FilingReviewFlow, "correct"): correct,
    (FilingReviewFlow, "recheck"): recheck,
}


def handler_of(node):
    """The handler of a human task's node (KeyError for a node that has none)."""
    return HANDLERS[(node.flow_class, node.name)]
