"""Archive (归档) one organisation's documents of one year, or check a package.

manage.py archive --org akmz --year 2020                  # → var/archive/akmz-2020/<登记号>/
manage.py archive --org akmz --year 2020 --output /mnt/归档 --force
manage.py archive --verify var/archive/akmz-2020          # a package, or a directory of them

Each package verifies without guifan too: `cd <package> && sha256sum -c manifest.sha256`
(docs/archive.md).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from review import archive
from review.models import Organisation
from review.reports.cli import parse_year


class Command(BaseCommand):
    help = (
        "归档：为某单位某年度公布的每件规范性文件写一个归档包（正式文本、各稿、附件、其他文书、"
        "审计记录、元数据和 SHA-256 清单），或用 --verify 核对已写出的归档包。"
        " (Write one archive package per document of an organisation and year, each with a"
        " SHA-256 manifest that `sha256sum -c` checks; or check packages with --verify.)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", metavar="CODE", help="单位代码 (organisation code)")
        parser.add_argument("--year", metavar="YYYY", help="公布年度 (year of publication)")
        parser.add_argument(
            "--output",
            metavar="DIR",
            help="输出目录，缺省为 var/archive/CODE-YYYY/ (output directory)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="输出目录非空时仍写入，同名归档包整体替换 (write into a non-empty directory)",
        )
        parser.add_argument(
            "--verify", metavar="PATH", help="核对归档包或归档目录 (check a package or a directory)"
        )

    def handle(self, *args, **options):
        if options["verify"]:
            if options["org"] or options["year"]:
                raise CommandError(
                    "--verify 不能与 --org、--year 同用 (--verify takes no --org or --year)."
                )
            self._verify(Path(options["verify"]))
            return
        self._write(options)

    def _write(self, options):
        if not options["org"] or not options["year"]:
            raise CommandError("须指定 --org 和 --year (give --org and --year, or --verify).")
        organisation = Organisation.objects.filter(code=options["org"]).first()
        if organisation is None:
            raise CommandError(f"未知的单位代码：{options['org']} (unknown organisation).")
        year = parse_year(options["year"], "--year")
        default = Path(settings.VAR_DIR) / "archive" / f"{organisation.code}-{year}"
        target = Path(options["output"]) if options["output"] else default
        if target.exists() and not target.is_dir():
            raise CommandError(f"输出路径不是目录：{target} (output is not a directory).")
        if target.is_dir() and any(target.iterdir()) and not options["force"]:
            raise CommandError(
                f"输出目录非空：{target}；如需替换同名归档包请加 --force"
                f" (output directory not empty; use --force)."
            )
        if not archive.documents_of(organisation, year).exists():
            self.stdout.write(
                f"{organisation.name} {year} 年没有公布的文件，未写归档包"
                f" (no documents published in {year}; nothing written)."
            )
            return
        try:
            target.mkdir(parents=True, exist_ok=True)
            written = archive.write(organisation, year, target)
        except OSError as exc:
            raise CommandError(f"无法写入归档包 (cannot write the packages): {exc}") from exc
        for where in written:
            self.stdout.write(f"已写归档包：{where} (package written)")
        self.stdout.write(f"共 {len(written)} 个归档包 ({len(written)} packages) → {target}")

    def _verify(self, path):
        if archive.is_package(path):
            packages = [path]
        elif path.is_dir():
            packages = sorted(p for p in path.iterdir() if archive.is_package(p))
        else:
            packages = []
        if not packages:
            raise CommandError(
                f"{path} 不是归档包，也不含归档包（缺少 {archive.SUMS}） (no package found)."
            )
        failed = 0
        for where in packages:
            problems = archive.verify(where)
            if problems:
                failed += 1
                self.stderr.write(f"归档包不完整：{where} (package does not verify)")
                for problem in problems:
                    self.stderr.write(f"  {problem}")
            else:
                self.stdout.write(f"归档包完整：{where} (package verifies)")
        if failed:
            raise CommandError(
                f"{failed} 个归档包未通过核对 ({failed} of {len(packages)} packages failed)."
            )
        self.stdout.write(f"共 {len(packages)} 个归档包全部通过核对 (all {len(packages)} verify)")
