"""What the commands share: reading dates, years and numbers, and writing the bytes
out. A value that cannot be used is refused in one line, Chinese first (a
CommandError, a non-zero exit), never with a traceback."""

import datetime
import hashlib
from pathlib import Path

from django.core.management.base import CommandError

BINARY = {"pdf", "docx"}


def parse_date(value, option):
    if isinstance(value, datetime.date):  # call_command(..., today=date)
        return value
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise CommandError(
            f"{option} 须为 YYYY-MM-DD 格式的日期：{value!r} ({option} must be a date)."
        ) from None


def parse_year(value, option):
    """A calendar year that a date can have (1 to 9999)."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise CommandError(
            f"{option} 须为年份，如 2020：{value!r} ({option} must be a year)."
        ) from None
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise CommandError(
            f"{option} 年份 {year} 超出范围（{datetime.MINYEAR} 至 {datetime.MAXYEAR}）"
            f" ({option} out of range)."
        )
    return year


def parse_id(value, option):
    """A record's number: a positive integer."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise CommandError(f"{option} 须为正整数：{value!r} ({option} must be a positive number).")
    return number


def check_target(command, fmt, output):
    """Refuse, before any work, to write PDF or DOCX to a terminal or to a text-only
    stdout (as in call_command(stdout=StringIO()))."""
    if output or fmt not in BINARY:
        return
    stdout = getattr(command.stdout, "_out", None)
    if getattr(stdout, "buffer", None) is None or stdout.isatty():
        raise CommandError(
            f"{fmt.upper()} 为二进制格式，请用 --output 指定输出文件，或将标准输出重定向到文件。"
            f" ({fmt} needs --output, or stdout redirected to a file.)"
        )


def emit(command, data: bytes, fmt: str, output: str | None, label: str):
    """Write to --output and say so in one line; without --output, text formats go to
    stdout, binary ones to stdout's byte stream."""
    if output:
        path = Path(output)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError as exc:
            raise CommandError(
                f"无法写入输出文件 {path}：{exc.strerror or exc} (cannot write {path})."
            ) from None
        digest = hashlib.sha256(data).hexdigest()
        command.stdout.write(f"已生成{label}：{path}（{len(data)} 字节，SHA-256 {digest}）")
        return
    if fmt not in BINARY:
        command.stdout.write(data.decode("utf-8"), ending="")
        command.stdout.flush()
        return
    check_target(command, fmt, output)
    stream = command.stdout._out.buffer
    command.stdout.flush()
    stream.write(data)
    stream.flush()
