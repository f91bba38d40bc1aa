"""What the report commands share: reading dates and writing the bytes out."""

import datetime
import hashlib
from pathlib import Path

from django.core.management.base import CommandError

BINARY = {"pdf", "docx"}


def parse_date(value, option):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise CommandError(
            f"{option} 须为 YYYY-MM-DD 格式的日期：{value!r} ({option} must be a date)."
        ) from None


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
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
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
