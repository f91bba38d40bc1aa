"""Existing filing reviews to the new semantics (docs/upgrade.md, issue 12).

Before: one `outcome` held both decisions, and 不予备案登记 was used for a
substantive finding (with its Correction). Now `outcome` is the registration
decision at receipt and `conclusion` the substantive review:
- 予以备案登记: registered, and reviewed without problem (审查无问题) on the same
  day;
- 不予备案登记: registered, with a 审查意见 (提出审查意见) on the same day — the
  correction it started stays as it is, and the document keeps its registration;
- 暂缓办理备案登记: stays deferred, its missing materials named from the filing; a
  document waiting to supply them moves from 待报送备案 to 待补充报送.
Undecided reviews stay undecided (待备案登记). No audit event is written: the
migration changes no decision anyone took, only how it is stored.
"""

from django.db import migrations

MATERIALS = ["report", "official_text", "drafting_note", "legal_basis", "legality_opinion"]


def forwards(apps, schema_editor):
    FilingReview = apps.get_model("review", "FilingReview")
    NormativeDocument = apps.get_model("review", "NormativeDocument")
    FilingReview.objects.filter(outcome="registered").update(conclusion="no_problem")
    FilingReview.objects.filter(outcome="refused").update(
        outcome="registered", conclusion="opinion"
    )
    # concluded_on = decided_on, row by row: an F() expression in update() would do,
    # but the historical model is enough and the tables are small.
    for review in FilingReview.objects.exclude(conclusion="").filter(concluded_on__isnull=True):
        review.concluded_on = review.decided_on
        review.save(update_fields=["concluded_on"])
    for review in FilingReview.objects.filter(outcome="deferred").select_related("filing"):
        materials = review.filing.materials or {}
        review.missing = [key for key in MATERIALS if not materials.get(key)]
        review.save(update_fields=["missing"])
    for document in NormativeDocument.objects.filter(state="filing"):
        latest = document.filings.order_by("-filed_on", "-pk").first()
        if latest is None:
            continue
        review = FilingReview.objects.filter(filing=latest).first()
        if review is not None and review.outcome == "deferred":
            NormativeDocument.objects.filter(pk=document.pk).update(state="supplement")


def backwards(apps, schema_editor):
    FilingReview = apps.get_model("review", "FilingReview")
    NormativeDocument = apps.get_model("review", "NormativeDocument")
    FilingReview.objects.filter(outcome="registered", conclusion="opinion").update(
        outcome="refused"
    )
    FilingReview.objects.update(conclusion="", concluded_on=None)
    NormativeDocument.objects.filter(state="supplement").update(state="filing")


class Migration(migrations.Migration):
    dependencies = [("review", "0012_filing_registration_review")]

    operations = [migrations.RunPython(forwards, backwards)]
