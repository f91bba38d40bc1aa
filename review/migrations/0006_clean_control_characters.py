"""Clean the text stored before input was cleaned (review.text.clean_text): a \\x0b
pasted from Word in a title, a reason or a note. Forms, uploads and the importer now
clean what comes in; this does the same to the rows already there.

Left as they are, because a hash vouches for them (the outputs cope: the DOCX and
PDF builders clean text as they print it):
- the audit trail (AuditEvent, AuditChainHead): every event is hashed into the chain;
- a comment's text: its SHA-256 is in the digest the period's close recorded, which
  `manage.py verify_audit` checks;
- a version's or an attachment's text when its recorded SHA-256 is that of the text
  (typed, not uploaded): the legality review and the audit trail name that hash.

The reverse is a no-op: the characters removed were never meant to be there.
"""

import hashlib

from django.db import DEFAULT_DB_ALIAS, IntegrityError, migrations, models, transaction

from review.text import clean_data, clean_text

SKIPPED_MODELS = {"auditevent", "auditchainhead"}
SKIPPED_FIELDS = {("comment", "text")}
FINGERPRINTED = {"documentversion", "attachment"}  # text, sha256


def _text_fields(model):
    name = model._meta.model_name
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField, models.JSONField))
        and not field.choices  # fixed values (states, outcomes, kinds)
        and (name, field.name) not in SKIPPED_FIELDS
    ]


def _cleaned(field, value):
    if isinstance(field, models.JSONField):
        return clean_data(value)
    # One-line fields (CharField) take a space for a line break, as their forms do.
    return clean_text(value, multiline=isinstance(field, models.TextField))


def _fingerprint_holds(values):
    text, sha256 = values.get("text"), values.get("sha256")
    return text is not None and hashlib.sha256(text.encode("utf-8")).hexdigest() == sha256


def clean_stored_text(apps, schema_editor=None):
    """Clean every text column of review's models, as listed above; return the number
    of rows changed. A row whose cleaned value would collide with a unique one is left
    as it is."""
    alias = schema_editor.connection.alias if schema_editor else DEFAULT_DB_ALIAS
    changed = 0
    for model in apps.get_app_config("review").get_models():
        name = model._meta.model_name
        if name in SKIPPED_MODELS:
            continue
        fields = _text_fields(model)
        if not fields:
            continue
        names = [field.attname for field in fields]
        updates = []
        # Read first, write after: SQLite does not isolate a write from an open read.
        for pk, *values in (
            model._default_manager.using(alias).values_list("pk", *names).iterator(chunk_size=2000)
        ):
            row = dict(zip(names, values, strict=True))
            changes = {}
            for field, value in zip(fields, values, strict=True):
                cleaned = _cleaned(field, value)
                if cleaned != value:
                    changes[field.attname] = cleaned
            if "text" in changes and name in FINGERPRINTED and _fingerprint_holds(row):
                del changes["text"]
            if changes:
                updates.append((pk, changes))
        for pk, changes in updates:
            try:
                with transaction.atomic(using=alias):
                    model._default_manager.using(alias).filter(pk=pk).update(**changes)
            except IntegrityError:
                continue
            changed += 1
    return changed


class Migration(migrations.Migration):
    dependencies = [("review", "0005_drop_unused_indexes")]

    operations = [migrations.RunPython(clean_stored_text, migrations.RunPython.noop)]
