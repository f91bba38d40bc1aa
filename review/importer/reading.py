"""The register file as a table of cells: .csv (UTF-8, with or without a BOM) or
the first sheet of an .xlsx. A file that cannot be read at all is
RegisterUnreadable; what the cells say is checked by `checking`."""

import csv
from pathlib import Path

from ..errors import Refused


class RegisterUnreadable(Refused):
    """The file cannot be read as a register at all."""


def read_table(path):
    """[(spreadsheet row number, [cell values])], header first."""
    path = Path(path)
    if not path.is_file():
        raise RegisterUnreadable(f"找不到文件 {path}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    raise RegisterUnreadable("只能导入 .csv 或 .xlsx 文件（.xls 请在 Excel 中另存为 .xlsx）")


def _read_csv(path):
    # utf-8-sig reads both: Excel's "CSV UTF-8" starts with a BOM, other tools write none.
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            try:
                return list(enumerate(reader, start=1))
            except csv.Error as exc:  # a cell over csv's field limit (131,072 characters)
                raise RegisterUnreadable(
                    f"{path.name} 第{reader.line_num}行无法读取：单元格过长或格式错误，"
                    f"不是有效的台账 ({exc})"
                ) from exc
    except UnicodeDecodeError as exc:
        raise RegisterUnreadable(
            "文件不是 UTF-8 编码：请在 Excel 中“另存为”选择“CSV UTF-8（逗号分隔）”，或直接导入 .xlsx 文件"
        ) from exc
    except OSError as exc:
        raise RegisterUnreadable(f"无法读取文件 {path.name}：{exc.strerror or exc}") from exc


def _read_xlsx(path):
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise RegisterUnreadable(f"无法读取 Excel 文件 {path.name}：{exc}") from exc
    try:
        sheet = workbook.worksheets[0]  # the register is the first sheet
        return [
            (number, list(values))
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()
