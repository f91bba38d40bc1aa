"""Text hygiene: what may be stored and printed.

Text pasted from Word carries control characters: a manual line break (Shift+Enter)
is U+000B, a page break U+000C. XML 1.0 forbids every C0 control but tab, LF and CR,
and U+FFFE, U+FFFF and lone surrogates, so one such character in a title or a comment
used to make the DOCX outputs fail. `clean_text` is applied where text comes in
(forms, uploads' extracted text, the importer), by migration 0006 to the rows stored
before, and again by the DOCX and PDF builders where text enters the document.
"""

import re

from django import forms

# Line breaks as word processors and other systems write them. In multi-line text
# they become "\n"; in a one-line field (a title, a name), a space.
_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
# Every other control character (Unicode Cc) but tab; the two noncharacters XML
# forbids; UTF-16 surrogates, which only appear unpaired in a Python str.
_DROP = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")
_DIRTY = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff\ud800-\udfff]")


def clean_text(value, *, multiline=True):
    """`value` without control characters: line breaks (\\r\\n, \\r, \\x0b, \\x0c, NEL,
    U+2028/9) become "\\n", or a space when `multiline` is false; tab stays; other
    control characters, U+FFFE/U+FFFF and lone surrogates are dropped. Anything but a
    str (None, a number) is returned as it is."""
    if not isinstance(value, str):
        return value
    if not _DIRTY.search(value) and (multiline or "\n" not in value):
        return value  # the usual case, at the cost of one scan
    value = _BREAKS.sub("\n" if multiline else " ", value)
    return _DROP.sub("", value)


def clean_data(value):
    """Every string inside a JSON value (dicts, lists) cleaned as multi-line text."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_data(key): clean_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clean_data(item) for item in value]
    return value


class CleanTextMixin:
    """Text fields arrive without control characters (clean_text above): a
    \\x0b pasted from Word becomes a line break in a text area and a space in a
    one-line field, before any field is validated. The cleaned value is also what a
    form shown again with its errors displays."""

    def full_clean(self):
        if self.is_bound:
            self.data = _cleaned_data(self.data, self._text_fields())
        super().full_clean()

    def _text_fields(self):
        return {
            self.add_prefix(name): isinstance(field.widget, forms.Textarea)
            for name, field in self.fields.items()
            if isinstance(field, forms.CharField)
        }


def _cleaned_data(data, multiline_by_key):
    """A copy of the submitted data (a QueryDict or a dict) with text fields cleaned."""
    data = data.copy()
    for key, multiline in multiline_by_key.items():
        if key not in data:
            continue
        if hasattr(data, "setlist"):
            data.setlist(key, [clean_text(v, multiline=multiline) for v in data.getlist(key)])
        else:
            data[key] = clean_text(data[key], multiline=multiline)
    return data
