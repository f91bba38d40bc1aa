"""A planted register, 发文登记簿 and published list (issue 18) with one finding of
each kind and the controls that must not be flagged, as CSV and XLSX."""

import csv
import datetime

import openpyxl

from review.importer import import_register

TODAY = datetime.date(2020, 12, 31)

# What guifan holds: imported as a register (docs/import.md).
REGISTER = [
    [
        "制定机关",
        "标题",
        "发文字号",
        "成文日期",
        "公布日期",
        "报送备案日期",
        "备案材料齐全",
        "审查日期",
        "审查结论",
    ],
    # D1: registered, published, filed on time: no finding
    [
        "akmz",
        "安康市最低生活保障审核确认办法",
        "安民发〔2020〕3号",
        "2020-02-10",
        "2020-02-20",
        "2020-03-10",
        "是",
        "2020-03-30",
        "予以备案登记",
    ],
    # D2: published, never filed -> not_filed; also published again as 33号 -> published_twice
    [
        "akmz",
        "安康市临时救助实施办法",
        "安民发〔2020〕7号",
        "2020-04-01",
        "2020-04-10",
        "",
        "",
        "",
        "",
    ],
    # D3: registered, never published -> unpublished
    ["akmz", "安康市养老机构管理规定", "安民发〔2020〕12号", "2020-06-01", "", "", "", "", ""],
    # D4: published 07-01, filed 08-20, after its due date -> not_filed
    [
        "akmz",
        "安康市社会组织登记管理细则",
        "安民发〔2020〕15号",
        "2020-06-25",
        "2020-07-01",
        "2020-08-20",
        "是",
        "",
        "",
    ],
    # D5: in order; the 登记簿 uses its number for another title -> number_conflict
    [
        "akmz",
        "安康市殡葬服务收费管理办法",
        "安民发〔2020〕20号",
        "2020-07-20",
        "2020-08-01",
        "2020-08-10",
        "是",
        "",
        "",
    ],
]

ISSUED_HEADER = ["文号", "标题", "成文日期", "类别", "密级"]
ISSUED = [
    ["安民发[2020]03号", "安康市最低生活保障审核确认办法", "2020-02-10", "", ""],
    ["安民发（２０２０）7号", "安康市临时救助实施办法", "2020/4/1", "", "无"],
    ["安民发〔2020〕12号", "安康市养老机构管理规定", "2020-06-01", "", ""],
    ["安民发 〔2020〕 15号", "安康市社会组织登记管理细则", "2020-06-25", "", ""],
    ["安民发〔2020〕20号", "关于调整城乡低保标准的通知", "2020-07-20", "", ""],
    ["安民发〔2020〕25号", "安康市困难群众救助资金管理办法", "2020-09-10", "", ""],
    ["安民发〔2020〕26号", "关于加强农村留守儿童关爱保护工作的意见", "2020-10-12", "", ""],
    # controls: not normative (国办发〔2018〕115号)
    ["安民发〔2020〕27号", "安康市民政局2020年第3次局务会议纪要", "2020-10-20", "", ""],
    [
        "安民发〔2020〕28号",
        "关于印发《2020年社会救助兜底脱贫工作方案》的通知",
        "2020-10-21",
        "",
        "",
    ],
    ["安民发〔2020〕29号", "关于申请救灾资金的请示", "2020-10-22", "", ""],
    # classified: skipped unread
    ["安民发〔2020〕30号", "安康市涉密载体保密管理办法", "2020-11-02", "", "秘密"],
    ["安民发〔2020〕31号", "安康市重要目标防护规定", "2020-11-03", "", "机密★10年"],
    # another year: not this reconciliation's
    ["安民发〔2019〕40号", "安康市旧的办法", "2019-12-20", "", ""],
]

PUBLISHED_HEADER = ["标题", "公布日期", "URL", "文号"]
PUBLISHED = [
    ["安康市最低生活保障审核确认办法", "2020-02-20", "http://mzj.ankang.gov.cn/1", ""],
    ["安康市临时救助实施办法", "2020-04-10", "http://mzj.ankang.gov.cn/2", "安民发〔2020〕7号"],
    ["安康市临时救助实施办法", "2020-10-08", "http://mzj.ankang.gov.cn/9", "安民发〔2020〕33号"],
    ["安康市社会组织登记管理细则", "2020-07-01", "http://mzj.ankang.gov.cn/4", ""],
    ["安康市殡葬服务收费管理办法", "2020-08-01", "http://mzj.ankang.gov.cn/5", ""],
    ["安康市困难群众救助资金管理办法", "2020-09-15", "http://mzj.ankang.gov.cn/6", ""],
    ["安康市居家养老服务补贴办法", "2020-11-02", "http://mzj.ankang.gov.cn/7", ""],
]

EXPECTED = {
    "unregistered": 3,
    "unpublished": 1,
    "not_filed": 2,
    "published_twice": 1,
    "number_conflict": 1,
}
CLASSIFIED_TITLES = ["安康市涉密载体保密管理办法", "安康市重要目标防护规定"]


def write_csv(path, header, rows):
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path, header, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def plant_register(tmp_path):
    path = write_csv(tmp_path / "register.csv", REGISTER[0], REGISTER[1:])
    return import_register(path, today=TODAY)


def planted_files(tmp_path, ext="csv"):
    write = write_csv if ext == "csv" else write_xlsx
    issued = write(tmp_path / f"issued.{ext}", ISSUED_HEADER, ISSUED)
    published = write(tmp_path / f"published.{ext}", PUBLISHED_HEADER, PUBLISHED)
    return issued, published
