"""Archiving (归档, issue 16 part 8): a package per document that an archive checks
without guifan: `sha256sum -c manifest.sha256` and `manage.py archive --verify` agree;
a changed byte fails both; a rerun writes the same bytes."""

import datetime
import json
import shutil
import subprocess
import sys
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from review import actions, archive
from review.models import (
    AttachmentKind,
    AuditEvent,
    DocumentVersion,
    NormativeDocument,
    Registration,
)
from review.states import State

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SHA256SUM = shutil.which("sha256sum") or "sha256sum"  # coreutils: there on every Linux


@pytest.fixture
def filed(walk, document, drafter, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    actions.add_attachment(
        document,
        by=drafter,
        kind=AttachmentKind.LEGAL_BASIS,
        upload=SimpleUploadedFile("依据.pdf", PDF),
        name="上位法依据",
    )
    walk.to(State.FILED)
    document.refresh_from_db()
    return document


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("archive", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def archived(document, where):
    run("--org", "akmz", "--year", "2020", "--output", str(where))
    return where / archive.safe_name(document.registration.reg_number)


def test_a_filed_document_archives_into_a_package_with_everything_it_has(filed, tmp_path):
    package = archived(filed, tmp_path / "out")
    names = {p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file()}
    assert {"official_text.pdf", "official_text.docx", "metadata.json"} <= names
    assert {"manifest.json", "manifest.sha256", "audit/events.jsonl", "audit/chain.json"} <= names
    assert "versions/v001.txt" in names
    assert (package / "versions/v001.txt").read_text("utf-8") == filed.versions.get().text
    stored = [n for n in names if n.startswith("attachments/") and n.endswith(".pdf")]
    assert [(package / n).read_bytes() for n in stored] == [PDF]  # through the storage API
    for kind in ("legality_opinion", "filing_report"):
        assert {f"outputs/{kind}.pdf", f"outputs/{kind}.docx"} <= names
    assert (package / "official_text.pdf").read_bytes().startswith(b"%PDF")

    meta = json.loads((package / "metadata.json").read_text("utf-8"))
    assert meta["registration_number"] == filed.registration.reg_number
    assert meta["document_number"] == filed.registration.number
    assert (meta["state"], meta["state_label"]) == ("filed", "已备案")
    assert meta["published_on"] == filed.publication.published_on.isoformat()

    lines = (package / "audit/events.jsonl").read_text("utf-8").splitlines()
    events = list(AuditEvent.objects.filter(document=filed).order_by("seq"))
    assert len(lines) == len(events) > 5
    first = json.loads(lines[0])
    assert (first["seq"], first["hash"], first["prev_hash"]) == (
        events[0].seq,
        events[0].hash,
        events[0].prev_hash,
    )
    chain = json.loads((package / "audit/chain.json").read_text("utf-8"))
    assert (chain["count"], chain["last_seq"]) == (len(events), events[-1].seq)

    listed = json.loads((package / "manifest.json").read_text("utf-8"))
    assert {f["path"] for f in listed["files"]} == names - {"manifest.json", "manifest.sha256"}
    # 没有征求意见 → no comment summary, and the manifest says why.
    assert [s["output"] for s in listed["not_produced"]] == ["comment_summary"]
    assert "未公开征求意见" in listed["not_produced"][0]["reason"]


def test_the_manifest_verifies_with_coreutils_and_with_verify_and_tampering_fails_both(
    filed, tmp_path
):
    package = archived(filed, tmp_path / "out")
    check = [SHA256SUM, "--strict", "-c", "manifest.sha256"]
    assert subprocess.run(check, cwd=package, capture_output=True).returncode == 0
    assert "全部通过核对" in run("--verify", str(package))
    assert "全部通过核对" in run("--verify", str(tmp_path / "out"))  # a directory of packages
    # docs/archive.md: the events recompute with any SHA-256, here Python without guifan.
    recompute = (
        "import hashlib,json,sys\n"
        "for l in open(sys.argv[1], encoding='utf-8'):\n"
        "    e = json.loads(l)\n"
        "    h = hashlib.sha256((e['prev_hash'] + e['canonical']).encode()).hexdigest()\n"
        "    assert h == e['hash'], e['seq']\n"
    )
    events = [sys.executable, "-I", "-c", recompute, "audit/events.jsonl"]
    assert subprocess.run(events, cwd=package, capture_output=True).returncode == 0

    pdf = package / "official_text.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n")
    result = subprocess.run(check, cwd=package, capture_output=True, text=True)
    assert result.returncode != 0
    assert "official_text.pdf: FAILED" in result.stdout
    with pytest.raises(CommandError, match="未通过核对"):
        run("--verify", str(package))


def test_verify_finds_a_file_added_and_an_audit_event_rewritten_with_its_manifest_line(
    filed, tmp_path
):
    package = archived(filed, tmp_path / "out")
    (package / "extra.txt").write_text("x")
    assert archive.verify(package) == ["extra.txt：不在清单中"]
    (package / "extra.txt").unlink()

    events = package / "audit/events.jsonl"
    lines = events.read_text("utf-8").splitlines()
    record = json.loads(lines[0])
    record["canonical"] = record["canonical"].replace('"actor_name":"', '"actor_name":"假')
    record["actor_name"] = "假" + record["actor_name"]
    lines[0] = json.dumps(record, ensure_ascii=False, sort_keys=True)
    events.write_text("".join(f"{line}\n" for line in lines), "utf-8")
    sums = package / "manifest.sha256"
    fixed = [
        f"{archive.sha256(events.read_bytes())}  {archive.EVENTS}"
        if line.endswith(archive.EVENTS)
        else line
        for line in sums.read_text("utf-8").splitlines()
    ]
    sums.write_text("".join(f"{line}\n" for line in fixed), "utf-8")
    assert archive.verify(package) == [
        f"{archive.EVENTS} 第 1 行（第 {record['seq']} 号记录）：哈希不符"
    ]


def test_a_rerun_writes_identical_bytes(filed, tmp_path):
    first = archived(filed, tmp_path / "one")
    second = archived(filed, tmp_path / "two")

    def contents(root):
        return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    assert contents(first) == contents(second)
    before = contents(first)
    run("--org", "akmz", "--year", "2020", "--output", str(tmp_path / "one"), "--force")
    assert contents(first) == before


def test_documents_of_another_year_or_organisation_are_not_archived(filed, tmp_path):
    assert "没有公布的文件" in run(
        "--org", "akmz", "--year", "2021", "--output", str(tmp_path / "x")
    )
    assert not (tmp_path / "x").exists()
    assert list(archive.documents_of(filed.organisation, 2020)) == [filed]
    assert not archive.documents_of(filed.organisation.files_with, 2020).exists()


def test_a_registered_document_waits_for_its_publication(walk, document):
    walk.to(State.PUBLICATION)
    assert not archive.documents_of(document.organisation, 2020).exists()


def test_an_imported_document_without_publication_is_archived_by_its_signing_year(bureau, tmp_path):
    document = NormativeDocument(
        title="安康市民政局旧办法", organisation=bureau, state=State.FILED, imported=True
    )
    document.save()
    version = DocumentVersion.objects.create(
        document=document, number=1, text="《旧办法》", sha256="0" * 64
    )
    Registration.objects.create(
        document=document,
        version=version,
        number_prefix="安民发",
        number_year=2019,
        number_serial=3,
        number="安民发〔2019〕3号",
        reg_prefix="安民备",
        reg_year=2019,
        reg_serial=7,
        reg_number="安民备〔2019〕007",
        signed_on=datetime.date(2019, 6, 1),
    )
    assert list(archive.documents_of(bureau, 2019)) == [document]
    assert not archive.documents_of(bureau, 2020).exists()
    run("--org", "akmz", "--year", "2019", "--output", str(tmp_path / "old"))
    package = tmp_path / "old" / "安民备〔2019〕007"
    assert archive.verify(package) == []
    meta = json.loads((package / "metadata.json").read_text("utf-8"))
    assert (meta["published_on"], meta["signed_on"]) == (None, "2019-06-01")


def test_the_default_output_is_under_var_archive(filed, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    run("--org", "akmz", "--year", "2020")
    assert archive.is_package(
        tmp_path / "var/archive/akmz-2020" / archive.safe_name(filed.registration.reg_number)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "nobody", "--year", "2020"], "未知的单位代码"),
        (["--org", "akmz", "--year", "二〇二〇"], "--year 须为年份"),
        (["--org", "akmz", "--year", "0"], "超出范围"),
        (["--org", "akmz"], "须指定 --org 和 --year"),
        (["--verify", "/nonexistent", "--org", "akmz"], "不能与"),
        (["--verify", "/nonexistent"], "不是归档包"),
    ],
)
def test_bad_input_is_refused_in_chinese_first(bureau, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_a_non_empty_output_directory_is_refused_without_force(filed, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("x")
    with pytest.raises(CommandError, match="输出目录非空"):
        run("--org", "akmz", "--year", "2020", "--output", str(tmp_path / "out"))
    run("--org", "akmz", "--year", "2020", "--output", str(tmp_path / "out"), "--force")
    assert (tmp_path / "out" / "keep.txt").read_text() == "x"


def test_safe_names_have_no_path_separators():
    assert archive.safe_name("安民备〔2020〕001") == "安民备〔2020〕001"
    assert archive.safe_name("../a/b\\c:d") == "_a_b_c_d"
    assert archive.safe_name("") == "document"
