"""Back up guifan, and rehearse a restore (docs/deploy.md, "备份与恢复演练").

    python scripts/restore_drill.py backup DEST     # database + media + anchors into DEST
    python scripts/restore_drill.py drill [--keep DIR] [--document ID]   # `make restore-drill`

Both read the same environment as the application (DATABASE_URL, MEDIA_ROOT,
GUIFAN_AUDIT_ANCHOR_DIR, ...). The drill:
  1. runs verify_audit on the live data (which anchors the chain's head) and computes the
     SHA-256 of a sample document's outputs (every kind it has, PDF and DOCX) and of every
     media file;
  2. backs up: the database (pg_dump -Fc, or SQLite's online backup), the media directory
     and the anchor directory (tar);
  3. restores into a fresh database (PostgreSQL: a new database <name>_restore_drill;
     SQLite: a new file) and fresh media and anchor directories;
  4. runs verify_audit --no-anchor on the copy (chain + signed anchors + comment digests)
     and computes the same digests there;
  5. passes only if the copy verifies and every digest is byte-identical.
The fresh PostgreSQL database is dropped afterwards unless --keep is given.
"""

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


# --- inside Django: what the drill compares -----------------------------------


def _inside(anchor, document_id):
    """Run in a subprocess with the environment of one copy: verify, then digests."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from review.models import NormativeDocument
    from review.reports import DOCUMENT_KINDS, MissingRecord, build

    db = settings.DATABASES["default"]
    result = {
        "database": {k: str(db.get(k) or "") for k in ("ENGINE", "NAME", "HOST", "PORT", "USER")},
        "media_root": str(settings.MEDIA_ROOT),
        "anchor_dir": str(settings.GUIFAN_AUDIT_ANCHOR_DIR),
    }
    try:
        call_command("verify_audit", *([] if anchor else ["--no-anchor"]), stdout=sys.stderr)
        result["verified"] = True
    except CommandError as exc:
        result["verified"] = False
        result["error"] = str(exc)
    documents = NormativeDocument.objects.order_by("pk")
    sample = documents.filter(pk=document_id).first() if document_id else None
    if sample is None and not document_id:
        # The document with the most official outputs: the first filed one, else any.
        sample = documents.filter(state="filed").first() or documents.first()
    outputs = {}
    if sample is not None:
        for kind in DOCUMENT_KINDS:
            for fmt in ("pdf", "docx"):
                try:
                    outputs[f"{kind}.{fmt}"] = hashlib.sha256(build(kind, sample, fmt)).hexdigest()
                except MissingRecord:
                    pass
    result["sample"] = sample.pk if sample else None
    result["outputs"] = outputs
    result["media"] = _tree_digests(Path(settings.MEDIA_ROOT))
    print(json.dumps(result, ensure_ascii=False))


def _tree_digests(root):
    if not root.is_dir():
        return {}
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def run_inside(env, anchor, document_id=None):
    args = [PYTHON, __file__, "_inside"] + (["--anchor"] if anchor else [])
    if document_id:
        args += ["--document", str(document_id)]
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise SystemExit(f"restore drill: the check inside Django failed ({done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- backup and restore --------------------------------------------------------


def _database_url(name=None):
    """The PostgreSQL DATABASE_URL, or the same server with another database name."""
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path=f"/{name}")) if name else url.geturl()


def backup(config, dest):
    """Database, media and anchors of the copy described by `config` into `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    db = config["database"]
    if "postgresql" in db["ENGINE"]:
        subprocess.run(
            ["pg_dump", "-Fc", "-f", str(dest / "database.pgdump"), "-d", _database_url()],
            check=True,
        )
    else:
        source = sqlite3.connect(db["NAME"])
        target = sqlite3.connect(dest / "database.sqlite3")
        with target:
            source.backup(target)  # consistent even while the application writes
        source.close()
        target.close()
    for name, directory in (("media", config["media_root"]), ("anchors", config["anchor_dir"])):
        with tarfile.open(dest / f"{name}.tar.gz", "w:gz") as tar:
            if Path(directory).is_dir():
                tar.add(directory, arcname=".")
    return dest


def restore(config, source, target_dir, db_name):
    """A fresh database, media and anchor directory from the backup in `source`;
    returns the environment that points the application at them."""
    db = config["database"]
    env = dict(os.environ)
    if "postgresql" in db["ENGINE"]:
        server = f"--maintenance-db={_database_url()}"
        subprocess.run(["dropdb", server, "--if-exists", db_name], check=True)
        subprocess.run(["createdb", server, db_name], check=True)
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "-d",
                _database_url(db_name),
                str(source / "database.pgdump"),
            ],
            check=True,
        )
        env["DATABASE_URL"] = _database_url(db_name)
    else:
        target_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / "database.sqlite3", target_dir / "guifan.sqlite3")
        env["DATABASE_URL"] = f"sqlite:///{target_dir / 'guifan.sqlite3'}"
    for name, variable in (("media", "MEDIA_ROOT"), ("anchors", "GUIFAN_AUDIT_ANCHOR_DIR")):
        directory = target_dir / name
        directory.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / f"{name}.tar.gz") as tar:
            if hasattr(tarfile, "data_filter"):  # Python ≥ 3.11.4: refuse unsafe members
                tar.extractall(directory, filter="data")
            else:
                tar.extractall(directory)
        env[variable] = str(directory)
    return env


# --- the drill -----------------------------------------------------------------


def _require_migrated(env):
    """The drill backs up the live database: say so plainly when there is none yet."""
    done = subprocess.run(
        [PYTHON, "manage.py", "migrate", "--check", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(
            "恢复演练需要已迁移、有数据的数据库：请先运行 make run（演示）或 manage.py migrate。\n"
            "restore drill: the database is missing or not migrated; run `make run` (demo) "
            "or `manage.py migrate` first."
        )


def drill(keep=None, document_id=None):
    _require_migrated(dict(os.environ))
    work = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="guifan-restore-drill-"))
    live = run_inside(dict(os.environ), anchor=True, document_id=document_id)
    if not live["verified"]:
        raise SystemExit(f"restore drill: the live data does not verify: {live.get('error')}")
    if not live["outputs"]:
        raise SystemExit("restore drill: no sample document with outputs to compare")
    backup(live, work / "backup")
    db_name = f"{live['database']['NAME']}_restore_drill"
    env = restore(live, work / "backup", work / "restored", db_name)
    try:
        copy = run_inside(env, anchor=False, document_id=live["sample"])
    finally:
        if "postgresql" in live["database"]["ENGINE"] and not keep:
            server = f"--maintenance-db={_database_url()}"
            subprocess.run(["dropdb", server, "--if-exists", db_name], check=False)
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    problems = []
    if not copy["verified"]:
        problems.append(f"the restored copy does not verify: {copy.get('error')}")
    for what in ("outputs", "media"):
        for name in sorted(set(live[what]) | set(copy[what])):
            if live[what].get(name) != copy[what].get(name):
                problems.append(f"{what} {name}: differs after the restore")
    print(
        f"恢复演练 (restore drill): 文件 {live['sample']} 的 {len(live['outputs'])} 份文书、"
        f"{len(live['media'])} 个媒体文件逐字节一致，审计链与签名锚点校验通过"
        if not problems
        else "恢复演练失败 (restore drill failed):\n  " + "\n  ".join(problems)
    )
    return 0 if not problems else 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("backup").add_argument("dest", type=Path)
    run = sub.add_parser("drill")
    run.add_argument("--keep", metavar="DIR", help="keep the backup and the copy in DIR")
    run.add_argument("--document", type=int, help="the sample document (default: first filed)")
    inside = sub.add_parser("_inside")
    inside.add_argument("--anchor", action="store_true")
    inside.add_argument("--document", type=int)
    args = parser.parse_args(argv)
    if args.command == "_inside":
        return _inside(args.anchor, args.document)
    if args.command == "backup":
        config = run_inside(dict(os.environ), anchor=True)
        if not config["verified"]:
            print(f"warning: the audit chain does not verify: {config.get('error')}")
        print(f"backup written to {backup(config, args.dest)}")
        return 0
    return drill(args.keep, args.document)


if __name__ == "__main__":
    sys.exit(main() or 0)
