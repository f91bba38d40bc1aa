"""Archiving (归档): one self-describing package per document, checkable without guifan.

    packages = archive.write(organisation, 2020, Path("var/archive/akmz-2020"))
    problems = archive.verify(Path("var/archive/akmz-2020/安民备〔2020〕001"))

A document belongs to year Y when it was published (公布) in Y; a registered document
imported from the historical register with no publication on record belongs to the year of
its 成文日期 (one registered in this system but not yet published waits for its
publication). A package is a directory named by the document's 登记号 holding the formal
text, every version as stored, every attachment, every other output the document's page
offers, the document's audit events as JSON lines, a metadata file, and two manifests:
manifest.json (what each file is) and manifest.sha256 (the SHA-256 of every other file,
in the format `sha256sum -c` reads). The content is the same bytes every time it is
written from the same records (the builders take no clock), so a rerun is identical.
docs/archive.md says what an archive receives and how it checks it.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Q
from django.utils import translation

from . import audit, downloads, reports
from .models import NormativeDocument

FORMAT = "guifan-archive-package/1"
SUMS = "manifest.sha256"
MANIFEST = "manifest.json"
METADATA = "metadata.json"
EVENTS = "audit/events.jsonl"
CHAIN = "audit/chain.json"
OUTPUT_FORMATS = ("pdf", "docx")
# Written in Chinese whatever language the caller runs in: the labels are in the package.
LANGUAGE = "zh-hans"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_SUM_LINE = re.compile(r"^([0-9a-f]{64}) [ *](.+)$")


@dataclass
class Package:
    """One document's package, in memory: {relative path: bytes} and what each is."""

    name: str
    files: dict = field(default_factory=dict)
    described: dict = field(default_factory=dict)
    skipped: list = field(default_factory=list)

    def add(self, path, content, what):
        self.files[path] = content
        self.described[path] = what


def documents_of(organisation, year):
    """The documents of this organisation archived under this year, by 登记号."""
    published = Q(publication__published_on__year=year)
    unpublished = Q(imported=True, publication__isnull=True, registration__signed_on__year=year)
    return (
        NormativeDocument.objects.filter(organisation=organisation, registration__isnull=False)
        .filter(published | unpublished)
        .select_related("organisation", "registration", "publication")
        .order_by("registration__reg_year", "registration__reg_serial", "pk")
    )


def safe_name(text):
    """A file name from a 登记号: no path separators, control or reserved characters."""
    cleaned = _UNSAFE.sub("_", text).strip().lstrip(".")
    return cleaned or "document"


def sha256(content):
    return hashlib.sha256(content).hexdigest()


def package(document):
    """The package of one registered document, in memory."""
    with translation.override(LANGUAGE):
        built = Package(safe_name(document.registration.reg_number))
        _official_text(built, document)
        _versions(built, document)
        _attachments(built, document)
        _outputs(built, document)
        _events(built, document)
        built.add(METADATA, _json(metadata(document)), "文件基本信息（元数据）")
        _manifests(built, document)
    return built


def _official_text(built, document):
    for fmt in OUTPUT_FORMATS:
        try:
            content = reports.build("official_text", document, fmt)
        except reports.MissingRecord as exc:
            built.skipped.append({"output": "official_text", "reason": str(exc)})
            break
        built.add(f"official_text.{fmt}", content, f"正式文本（{fmt.upper()}）")


def _versions(built, document):
    for version in document.versions.order_by("number"):
        name, _type = downloads.version_name(version)
        if version.file:
            ext = downloads.extension_of_file(version.file) or "bin"
            content = _stored(version.file)
        else:
            ext, content = "txt", version.text.encode("utf-8")
        built.add(
            f"versions/v{version.number:03d}.{ext}",
            content,
            {
                "label": f"第{version.number}稿",
                "file_name": name,
                "recorded_sha256": version.sha256,
            },
        )


def _attachments(built, document):
    for index, attachment in enumerate(document.attachments.order_by("kind", "uploaded_at", "pk")):
        name, _type = downloads.attachment_name(attachment)
        if attachment.file:
            ext = downloads.extension_of_file(attachment.file) or "bin"
            content = _stored(attachment.file)
        else:
            ext, content = "txt", attachment.text.encode("utf-8")
        built.add(
            f"attachments/a{index + 1:03d}.{ext}",
            content,
            {
                "label": attachment.get_kind_display(),
                "file_name": name,
                "recorded_sha256": attachment.sha256,
            },
        )


def _stored(file_field):
    """The stored bytes, read through the storage API (local disk or object storage)."""
    with file_field.open("rb") as handle:
        return handle.read()


def _outputs(built, document):
    for kind in reports.offered(document):
        if kind == "official_text":
            continue
        for fmt in OUTPUT_FORMATS:
            try:
                content = reports.build(kind, document, fmt)
            except reports.MissingRecord as exc:
                built.skipped.append({"output": kind, "reason": str(exc)})
                break
            built.add(f"outputs/{kind}.{fmt}", content, f"{reports.KINDS[kind]}（{fmt.upper()}）")


def event_lines(document):
    """The document's audit events, one JSON object a line, each with the canonical
    text its hash is computed over: hash = SHA-256(prev_hash + canonical)."""
    lines = []
    for event in document.audit_events.order_by("seq"):
        canonical = audit.canonical(
            seq=event.seq,
            document_id=event.document_id,
            actor_id=event.actor_id,
            actor_name=event.actor_name,
            at=event.at,
            action=event.action,
            from_state=event.from_state,
            to_state=event.to_state,
            note=event.note,
            data=event.data,
        )
        record = json.loads(canonical) | {
            "prev_hash": event.prev_hash,
            "hash": event.hash,
            "canonical": canonical,
        }
        lines.append(json.dumps(record, ensure_ascii=False, sort_keys=True))
    return lines


def _events(built, document):
    lines = event_lines(document)
    built.add(EVENTS, "".join(f"{line}\n" for line in lines).encode("utf-8"), "审计记录（逐条）")
    records = [json.loads(line) for line in lines]
    chain = {
        "algorithm": "SHA-256(prev_hash + canonical), UTF-8",
        "genesis": audit.GENESIS,
        "count": len(records),
        "first_seq": records[0]["seq"] if records else None,
        "last_seq": records[-1]["seq"] if records else None,
        "last_hash": records[-1]["hash"] if records else None,
        "note": (
            "审计链为全系统一条链，本文件的记录是其中的片段：每条记录的哈希可由其前一条哈希"
            "与 canonical 字段独立重算；序号不连续处是其他文件的记录。"
        ),
    }
    built.add(CHAIN, _json(chain), "审计链片段说明")


def metadata(document):
    registration = document.registration
    publication = getattr(document, "publication", None)
    return {
        "format": FORMAT,
        "document_id": document.pk,
        "title": document.title,
        "organisation": {"code": document.organisation.code, "name": document.organisation.name},
        "document_number": registration.number,
        "registration_number": registration.reg_number,
        "signed_on": registration.signed_on,
        "published_on": publication.published_on if publication else None,
        "publication_channel": publication.channel if publication else "",
        "publication_url": publication.url if publication else "",
        "effective_from": document.effective_from,
        "valid_until": document.valid_until,
        "state": document.state,
        "state_label": str(document.get_state_display()),
        "ended_on": document.ended_on,
        "end_cause": document.end_cause,
        "end_cause_label": str(document.get_end_cause_display()) if document.end_cause else "",
        "end_decision_number": document.end_decision_number,
    }


def _manifests(built, document):
    listed = {
        "format": FORMAT,
        "document_id": document.pk,
        "registration_number": document.registration.reg_number,
        "files": [
            {
                "path": path,
                "sha256": sha256(content),
                "bytes": len(content),
                "content": built.described[path],
            }
            for path, content in sorted(built.files.items())
        ],
        "not_produced": built.skipped,
    }
    built.add(MANIFEST, _json(listed), "文件清单")
    sums = "".join(f"{sha256(content)}  {path}\n" for path, content in sorted(built.files.items()))
    built.files[SUMS] = sums.encode("utf-8")


def _json(value):
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2, default=str)
    return (text + "\n").encode("utf-8")


def write(organisation, year, target):
    """Write every package of this organisation and year under target; return the
    packages' directories. A package already there is replaced whole."""
    written = []
    for document in documents_of(organisation, year):
        built = package(document)
        where = target / built.name
        _replace(where)
        for path, content in sorted(built.files.items()):
            destination = where / path
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(content)
        written.append(where)
    return written


def _replace(where):
    """Empty a package's directory (only files this module writes live there)."""
    if not where.exists():
        return
    for path in sorted(where.rglob("*"), reverse=True):
        if path.is_dir() and not path.is_symlink():
            path.rmdir()
        else:
            path.unlink()
    where.rmdir()


def is_package(path):
    return (Path(path) / SUMS).is_file()


def verify(path):
    """Check a package against its manifest.sha256; return the problems (none: intact).
    Also: no file missing from the manifest, and each audit event's hash recomputes."""
    root = Path(path)
    problems = []
    listed = set()
    for number, line in enumerate((root / SUMS).read_text("utf-8").splitlines(), start=1):
        match = _SUM_LINE.match(line)
        if not match:
            problems.append(f"{SUMS} 第 {number} 行格式不符")
            continue
        digest, name = match.groups()
        listed.add(name)
        target = root / name
        if not target.is_file():
            problems.append(f"{name}：文件缺失")
        elif sha256(target.read_bytes()) != digest:
            problems.append(f"{name}：SHA-256 与清单不符（文件被改动）")
    present = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    for extra in sorted(present - listed - {SUMS}):
        problems.append(f"{extra}：不在清单中")
    if (root / EVENTS).is_file() and EVENTS in listed:
        problems.extend(_verify_events((root / EVENTS).read_text("utf-8")))
    return problems


def _verify_events(text):
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            record = json.loads(line)
            recomputed = audit.chain_hash(record["prev_hash"], record["canonical"])
            content = json.loads(record["canonical"])
            if not isinstance(content, dict):
                raise TypeError(content)
        except (ValueError, KeyError, TypeError):
            problems.append(f"{EVENTS} 第 {number} 行无法读取")
            continue
        if any(record.get(key) != value for key, value in content.items()):
            problems.append(f"{EVENTS} 第 {number} 行：字段与 canonical 不一致")
        if recomputed != record["hash"]:
            problems.append(f"{EVENTS} 第 {number} 行（第 {record.get('seq')} 号记录）：哈希不符")
    return problems
