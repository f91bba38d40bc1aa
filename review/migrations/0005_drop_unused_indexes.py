"""Drop the single-column indexes of sixteen foreign keys that no query looks rows up by
(see NO_INDEX in review/models/__init__.py). Each action writes rows of these tables, and every
index is one more page to write and sync at each commit.

The indexes are dropped by name, found by introspection, rather than through AlterField:
on SQLite AlterField rebuilds the whole table to drop an index, which on a bureau's
audit trail would copy every event. Reversing creates them again as Django names them.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FIELDS = [
    ("advisoropinion", "advisor"),
    ("attachment", "uploaded_by"),
    ("auditevent", "actor"),
    ("auditevent", "document"),
    ("deliberation", "recorded_by"),
    ("documentversion", "created_by"),
    ("filing", "filed_by"),
    ("filing", "resubmission_of"),
    ("filingreview", "reviewer"),
    ("legalityreview", "reviewer"),
    ("normativedocument", "amended_by"),
    ("normativedocument", "drafter"),
    ("normativedocument", "organisation"),
    ("normativedocument", "repealed_by"),
    ("publication", "published_by"),
    ("registration", "registered_by"),
]


def _columns(apps):
    for model_name, field_name in FIELDS:
        model = apps.get_model("review", model_name)
        yield model, model._meta.get_field(field_name)


def drop_indexes(apps, schema_editor):
    connection = schema_editor.connection
    for model, field in _columns(apps):
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
        for name, info in constraints.items():
            if (
                info["columns"] == [field.column]
                and info["index"]
                and not info["unique"]
                and not info["primary_key"]
            ):
                schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def create_indexes(apps, schema_editor):
    for model, field in _columns(apps):
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0004_register_sort_date"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_indexes, create_indexes)],
            state_operations=[
                migrations.AlterField(
                    model_name="advisoropinion",
                    name="advisor",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="法律顾问",
                    ),
                ),
                migrations.AlterField(
                    model_name="attachment",
                    name="uploaded_by",
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="上传人",
                    ),
                ),
                migrations.AlterField(
                    model_name="auditevent",
                    name="actor",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="操作人",
                    ),
                ),
                migrations.AlterField(
                    model_name="auditevent",
                    name="document",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="audit_events",
                        to="review.normativedocument",
                        verbose_name="文件",
                    ),
                ),
                migrations.AlterField(
                    model_name="deliberation",
                    name="recorded_by",
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="记录人",
                    ),
                ),
                migrations.AlterField(
                    model_name="documentversion",
                    name="created_by",
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="提交人",
                    ),
                ),
                migrations.AlterField(
                    model_name="filing",
                    name="filed_by",
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="报送人",
                    ),
                ),
                migrations.AlterField(
                    model_name="filing",
                    name="resubmission_of",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="review.filing",
                        verbose_name="补报前次报送",
                    ),
                ),
                migrations.AlterField(
                    model_name="filingreview",
                    name="reviewer",
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="审查人",
                    ),
                ),
                migrations.AlterField(
                    model_name="legalityreview",
                    name="reviewer",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="审核人",
                    ),
                ),
                migrations.AlterField(
                    model_name="normativedocument",
                    name="amended_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="amends",
                        to="review.normativedocument",
                        verbose_name="被以下文件修改",
                    ),
                ),
                migrations.AlterField(
                    model_name="normativedocument",
                    name="drafter",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="drafted_documents",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="起草人",
                    ),
                ),
                migrations.AlterField(
                    model_name="normativedocument",
                    name="organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="documents",
                        to="review.organisation",
                        verbose_name="制定机关",
                    ),
                ),
                migrations.AlterField(
                    model_name="normativedocument",
                    name="repealed_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="repeals",
                        to="review.normativedocument",
                        verbose_name="被以下文件废止",
                    ),
                ),
                migrations.AlterField(
                    model_name="publication",
                    name="published_by",
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="发布人",
                    ),
                ),
                migrations.AlterField(
                    model_name="registration",
                    name="registered_by",
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
            ],
        ),
    ]
