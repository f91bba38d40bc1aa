"""The authority a document was first filed with, stored on the document: an authority's
register becomes an indexed equality instead of a scan of every filing it received."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def from_filings(apps, schema_editor):
    """Documents filed before this migration take the authority of their first filing."""
    NormativeDocument = apps.get_model("review", "NormativeDocument")
    Filing = apps.get_model("review", "Filing")
    latest = (
        Filing.objects.filter(document_id=OuterRef("pk"))
        .order_by("filed_on", "pk")
        .values("authority_id")[:1]
    )
    NormativeDocument.objects.filter(pk__in=Filing.objects.values("document_id")).update(
        filing_authority_id=Subquery(latest)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0014_seclog_security_log"),
    ]

    operations = [
        migrations.AddField(
            model_name="normativedocument",
            name="filing_authority",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to="review.organisation",
                verbose_name="备案审查机关",
            ),
        ),
        migrations.AddIndex(
            model_name="normativedocument",
            index=models.Index(
                fields=["filing_authority", "-register_sort_date", "-created_at", "-id"],
                name="document_authority_order",
            ),
        ),
        migrations.RunPython(from_filings, migrations.RunPython.noop),
    ]
