"""The demo's data: the bodies, people and documents of 安康市民政局 (the 2020 report in
shared/seed), as tables. `manage.py seed_demo` walks each document to its state
through `review.actions`, so what the demo shows is what the system records.

Titles follow what the report names or implies: the 政府信息公开制度 and 指南 it
revised in November 2020, the 2020 工作方案 (a 工作方案 is not a normative document,
国办发〔2018〕115号), 社会救助, 社会组织 "双随机、一公开", 经营性公墓, 婚姻登记,
地名 and 村务公开. The 2015 documents are the predecessors the 2020 清理 dealt with;
the 2026 documents are the ones in progress today.
"""

import datetime
from dataclasses import dataclass

from .demo_filing import FILING_DOCUMENTS
from .demo_specs import CorrectionSpec, DocSpec
from .models import Category, NumberSource, Organisation
from .rules import is_provisional
from .states import Role, State

D = datetime.date

CITY = "akmz"
AUTHORITY = "aksfj"


@dataclass(frozen=True)
class OrgSpec:
    code: str
    name: str
    short_name: str
    kind: str = Organisation.Kind.DEPARTMENT
    issuing_code: str = ""
    may_issue: bool = False
    number_source: str = NumberSource.ALLOCATED
    parent: str | None = None
    files_with: str | None = None


def _division(code, short_name):
    return OrgSpec(
        code=f"{CITY}-{code}",
        name=f"安康市民政局{short_name}",
        short_name=short_name,
        kind=Organisation.Kind.DIVISION,
        parent=CITY,
    )


# In dependency order: an organisation comes after its parent and its filing authority.
ORGANISATIONS = [
    OrgSpec(AUTHORITY, "安康市司法局", "市司法局", kind=Organisation.Kind.JUSTICE),
    OrgSpec(
        CITY,
        "安康市民政局",
        "市民政局",
        issuing_code="安民发",
        may_issue=True,
        files_with=AUTHORITY,
    ),
    _division("bgs", "办公室"),
    _division("zcfg", "政策法规科"),
    _division("shjz", "社会救助科"),
    _division("shzz", "社会组织管理办公室"),
    _division("shsw", "社会事务科"),  # 婚姻登记、殡葬管理
    _division("ylfw", "养老服务科"),
    _division("etfl", "儿童福利科"),
    _division("qhdm", "区划地名科"),
    _division("jczq", "基层政权建设和社区治理科"),  # 村务公开
    # County bureaus file with the city's justice bureau in the demo.
    OrgSpec(
        "hbmz",
        "汉滨区民政局",
        "汉滨区民政局",
        issuing_code="汉民发",
        may_issue=True,
        number_source=NumberSource.ENTERED,  # its 公文 system numbers every 公文
        files_with=AUTHORITY,
    ),
    OrgSpec(
        "zymz",
        "紫阳县民政局",
        "紫阳县民政局",
        issuing_code="紫民发",
        may_issue=True,
        files_with=AUTHORITY,
    ),
]

# Jurisdictions with their own settings row (the defaults of domain-rules.md otherwise).
JURISDICTIONS = {
    CITY: {"registration_prefix": "安规", "publication_channel": "安康市民政局门户网站"},
    AUTHORITY: {"registration_prefix": "安规"},
}


@dataclass(frozen=True)
class UserSpec:
    username: str
    name: str
    organisation: str
    role: str
    unit: str | None = None
    superuser: bool = False  # the system administrator: the only staff user, for /admin/


USERS = [
    UserSpec("drafter", "王晓燕", CITY, Role.DRAFTER, unit=f"{CITY}-shjz"),
    UserSpec("legal", "李建国", CITY, Role.LEGAL_REVIEWER, unit=f"{CITY}-zcfg"),
    UserSpec("advisor", "陈志远", CITY, Role.LEGAL_ADVISOR),  # 常年法律顾问, a practising lawyer
    UserSpec("secretary", "刘芳", CITY, Role.DELIBERATION_SECRETARY, unit=f"{CITY}-bgs"),
    UserSpec("registrar", "张静", CITY, Role.REGISTRAR, unit=f"{CITY}-bgs"),
    UserSpec("clerk", "赵磊", CITY, Role.FILING_CLERK, unit=f"{CITY}-zcfg"),
    UserSpec("auditor", "周敏", CITY, Role.AUDITOR, unit=f"{CITY}-bgs"),
    UserSpec("sfj_reviewer", "孙丽华", AUTHORITY, Role.FILING_REVIEWER),
    UserSpec("sfj_auditor", "吴刚", AUTHORITY, Role.AUDITOR),
    UserSpec("hb_drafter", "黄丽", "hbmz", Role.DRAFTER),  # sees nothing of the city bureau's
    UserSpec("admin", "郑伟", CITY, Role.ADMIN, unit=f"{CITY}-bgs", superuser=True),
    # 审计管理员: reads the security log (/accounts/2fa/security-log/), changes nothing.
    UserSpec("sec_auditor", "钱芳", CITY, Role.SECURITY_AUDITOR, unit=f"{CITY}-bgs"),
]


# 国办发〔2018〕115号: a 政府信息公开制度 (工作制度) and 指南 create no rights or duties
# beyond the 条例's; they are not normative documents: 不予登记、不编号.
INFORMATION_NOTE = (
    "本文件规范本局政府信息公开的内部工作程序，未对公民、法人和其他组织设定权利义务，"
    "依据国办发〔2018〕115号属于内部工作制度，不属于行政规范性文件，不予登记、编号，按一般公文办理。"
)
GUIDE_NOTE = (
    "本指南告知公众本局政府信息公开的机构、方式和程序，其内容均为《中华人民共和国政府信息公开条例》"
    "已有规定，未设定新的权利义务，依据国办发〔2018〕115号不属于行政规范性文件，不予登记、编号。"
)

DOCUMENTS = [
    # --- 2015: predecessors, ended in 2020 --------------------------------------
    DocSpec(
        title="安康市农村五保供养服务机构管理办法",
        unit="ylfw",
        category=Category.ELDERLY,
        start=D(2015, 3, 2),
        state=State.EXPIRED,
        legal_basis="《农村五保供养工作条例》《农村五保供养服务机构管理办法》（民政部令第37号）",
        purpose="加强农村五保供养服务机构管理，保障供养对象的合法权益",
        articles=(
            "本办法适用于本市行政区域内由县级人民政府、乡镇人民政府举办的农村五保供养服务机构。",
            "市民政局负责全市农村五保供养服务机构的指导和监督，县区民政局负责本行政区域内的管理工作。",
            "供养服务机构应当建立健全安全、消防、卫生、财务等管理制度，配备必要的工作人员。",
        ),
        notes=("有效期届满后失效",),
    ),
    DocSpec(
        title="安康市民政局政府信息公开实施办法",
        unit="bgs",
        category=Category.GOVERNMENT_AFFAIRS,
        start=D(2015, 11, 16),
        state=State.REPEALED,
        legal_basis="《中华人民共和国政府信息公开条例》（2007年）",
        purpose="规范本局政府信息公开工作，保障公民、法人和其他组织依法获取政府信息",
        articles=(
            "本局在履行职责过程中制作或者获取的，以一定形式记录、保存的信息，依照本办法公开。",
            "办公室是本局政府信息公开工作机构，负责政府信息公开的日常工作。",
            "依申请公开的政府信息，能够当场答复的当场答复；不能当场答复的，自收到申请之日起15个工作日内答复。",
        ),
        end_note="《中华人民共和国政府信息公开条例》已于2019年修订施行；经2020年规范性文件清理，本办法予以废止，本局政府信息公开工作改由内部工作制度规范（国办发〔2018〕115号）。",
        ended_on=D(2020, 11, 26),
        decision_number="安民函〔2020〕112号",  # the 清理 decision
        notes=("2020年清理中废止",),
    ),
    # --- 2020: the year of the report ---------------------------------------------
    DocSpec(
        title="安康市城乡居民最低生活保障审核确认办法",
        unit="shjz",
        category=Category.SOCIAL_ASSISTANCE,
        start=D(2020, 3, 2),
        state=State.AMENDED,
        important=True,
        legal_basis="《社会救助暂行办法》《最低生活保障审核审批办法（试行）》（民发〔2012〕220号）",
        purpose="规范城乡居民最低生活保障审核确认工作，做到应保尽保、应退尽退",
        articles=(
            "本办法适用于本市行政区域内城乡居民最低生活保障的申请、审核、确认和动态管理。",
            "县区民政局负责最低生活保障的审核确认，乡镇人民政府（街道办事处）负责受理、调查和初审。",
            "共同生活的家庭成员人均收入低于当地最低生活保障标准，且家庭财产状况符合规定的，可以申请最低生活保障。",
            "审核确认应当自受理申请之日起30个工作日内完成；情况复杂的，可以延长至45个工作日。",
        ),
        end_note="第五条已由《安康市民政局关于修改〈安康市城乡居民最低生活保障审核确认办法〉的决定》修改。",
        ended_by="安康市民政局关于修改《安康市城乡居民最低生活保障审核确认办法》的决定",
        notes=("经公开征求意见；后被修改决定修改",),
    ),
    DocSpec(
        title="2020年普法及建设法治政府创建工作方案",
        unit="zcfg",
        category=Category.OTHER,
        start=D(2020, 3, 16),
        state=State.REJECTED,
        legal_basis="《安康市法治政府建设实施方案（2017-2020年）》《中共安康市委全面依法治市委员会2020年工作要点》",
        text=(
            "一、指导思想 以习近平法治思想为指导，坚持依法行政工作与民政重点业务工作同部署、同检查、同考核。\n"
            "二、工作目标 社会救助、社会组织管理、婚姻登记、殡葬管理、村务公开等民政重点工作全部纳入依法行政管理范围。\n"
            "三、主要任务 （一）开展定期集中学法；（二）落实“谁执法谁普法”普法责任制；（三）开展“12.4”宪法日宣传。\n"
            "四、工作要求 各科室、局属各单位明确专人负责，年底前报送工作总结。"
        ),
        end_note="该文件系本局年度普法和法治政府建设工作安排，属于工作方案，依据国办发〔2018〕115号不属于行政规范性文件，不予登记、编号，按一般公文办理。",
        notes=("认定不属于规范性文件，不予登记",),
    ),
    DocSpec(
        title="安康市经营性公墓管理办法",
        unit="shsw",
        category=Category.FUNERAL,
        start=D(2020, 4, 13),
        state=State.FILED,
        market=True,
        competition=True,
        legal_basis="《殡葬管理条例》《公墓管理暂行办法》",
        purpose="加强经营性公墓管理，规范殡葬服务市场秩序",
        articles=(
            "本办法适用于本市行政区域内经营性公墓的建设、经营和监督管理。",
            "经营性公墓应当依法办理审批手续，严格按照批准的用地面积和墓位数量建设。",
            "经营性公墓墓穴占地面积和墓碑高度应当符合国家和省有关规定，提倡建设节地生态葬区。",
            "经营性公墓墓穴销售价格由市民政局核定后执行。",
        ),
        correction=CorrectionSpec(
            item="authority",
            note="第五条规定墓穴销售价格由市民政局核定，民政部门无价格核定职权",
            findings="第五条超越法定职权：经营性公墓收费依照价格法律法规由价格主管部门管理，民政部门不得核定墓穴价格。",
            suggestion="建议删除第五条，或修改为“经营性公墓收费依照价格管理有关规定执行”，并在30日内报送处理情况。",
            handling="我局已印发通知，将第五条修改为“经营性公墓收费依照价格管理有关规定执行”，并在门户网站重新公布修改后的文本。",
        ),
        notes=("经公开征求意见（30日）；备案审查发现超越职权，已自行纠正后予以备案登记",),
    ),
    DocSpec(
        title="安康市社会组织“双随机、一公开”抽查工作实施办法",
        unit="shzz",
        category=Category.SOCIAL_ORGANISATIONS,
        start=D(2020, 6, 1),
        state=State.FILED,
        file_days_after=40,
        legal_basis="《社会团体登记管理条例》《民办非企业单位登记管理暂行条例》《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》（国发〔2019〕5号）",
        purpose="规范社会组织事中事后监管，推行“双随机、一公开”抽查",
        articles=(
            "本办法适用于在市民政局登记的社会团体、民办非企业单位和基金会。",
            "市民政局建立随机抽查对象名录库和执法检查人员名录库，编制随机抽查事项清单。",
            "抽查结果在市民政局门户网站公示，并推送至全国信用信息共享平台（安康）。",
        ),
    ),
    DocSpec(
        title="安康市临时救助实施办法",
        unit="shjz",
        category=Category.SOCIAL_ASSISTANCE,
        start=D(2020, 7, 6),
        state=State.FILING,
        legal_basis="《社会救助暂行办法》《国务院关于全面建立临时救助制度的通知》（国发〔2014〕47号）",
        purpose="规范临时救助工作，及时解决群众遭遇的突发性、紧迫性、临时性基本生活困难",
        articles=(
            "本办法适用于本市行政区域内因火灾、交通事故、突发重大疾病等原因导致基本生活暂时出现严重困难的家庭或者个人。",
            "临时救助实行县区民政局审批；对情况紧急的，乡镇人民政府（街道办事处）可以先行救助，再补办手续。",
            "临时救助标准由县区人民政府根据救助对象困难类型、困难程度确定。",
        ),
        demand=True,
        notes=("已公布，未报送备案（瞒报漏报）；备案审查机关限期报送，逾期仍未报送，予以通报",),
    ),
    DocSpec(
        title="安康市民政局政府信息公开制度",
        unit="bgs",
        category=Category.GOVERNMENT_AFFAIRS,
        start=D(2020, 10, 26),
        state=State.REJECTED,
        legal_basis="《中华人民共和国政府信息公开条例》（2019年修订）",
        purpose="完善本局政府信息公开工作，及时、准确、全面、具体地公开政府信息",
        articles=(
            "本局政府信息以公开为常态、不公开为例外，遵循公正、公平、合法、便民的原则。",
            "办公室负责本局政府信息公开的日常工作，编制政府信息公开指南和政府信息公开目录。",
            "依申请公开的政府信息，能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内答复。",
            "本局设立举报监督电话，接受公民、法人和其他组织对政府信息公开工作的监督。",
        ),
        end_note=INFORMATION_NOTE,
        notes=("工作制度：认定不属于规范性文件，不予登记（国办发〔2018〕115号）",),
    ),
    DocSpec(
        title="安康市民政局政府信息公开指南",
        unit="bgs",
        category=Category.GOVERNMENT_AFFAIRS,
        start=D(2020, 11, 4),
        state=State.REJECTED,
        legal_basis="《中华人民共和国政府信息公开条例》（2019年修订）",
        text=(
            "一、公开主体 安康市民政局负责公开本局制作或者获取的政府信息，办公室为政府信息公开工作机构。\n"
            "二、主动公开 机构职能、规范性文件、社会救助政策、社会组织登记等信息，自形成或者变更之日起20个工作日内在门户网站公开。\n"
            "三、依申请公开 申请人可以通过门户网站、信函或者当面提交申请，本局自收到申请之日起20个工作日内答复。\n"
            "四、监督和救济 申请人认为本局在政府信息公开工作中侵犯其合法权益的，可以依法申请行政复议或者提起行政诉讼。"
        ),
        end_note=GUIDE_NOTE,
        notes=("公开指南：认定不属于规范性文件，不予登记（国办发〔2018〕115号）",),
    ),
    DocSpec(
        title="安康市民政局关于修改《安康市城乡居民最低生活保障审核确认办法》的决定",
        unit="shjz",
        category=Category.SOCIAL_ASSISTANCE,
        start=D(2020, 10, 12),
        state=State.FILED,
        important=True,
        legal_basis="《社会救助暂行办法》《关于改革完善社会救助制度的意见》",
        text=(
            "市民政局决定对《安康市城乡居民最低生活保障审核确认办法》作如下修改：\n"
            "一、将第五条修改为：“审核确认应当自受理申请之日起20个工作日内完成；"
            "情况复杂的，可以延长至30个工作日。”\n"
            "二、本决定自公布之日起30日后施行。\n"
            "《安康市城乡居民最低生活保障审核确认办法》根据本决定作相应修改，重新公布。"
        ),
        notes=("经公开征求意见；修改2020年低保审核确认办法",),
    ),
    DocSpec(
        title="安康市地名管理实施细则",
        unit="qhdm",
        category=Category.PLACE_NAMES,
        start=D(2020, 5, 11),
        state=State.WITHDRAWN,
        legal_basis="《地名管理条例》",
        purpose="加强地名管理，保护地名文化",
        articles=(
            "本细则适用于本市行政区域内地名的命名、更名、使用、标志设置和文化保护。",
            "市民政局主管全市地名工作，县区民政局负责本行政区域内的地名管理工作。",
        ),
        end_note="《地名管理条例》正在修订，待上位法修订公布后重新起草。",
        notes=("合法性审核期间起草单位撤回",),
    ),
    # --- 2026: in progress today ----------------------------------------------------
    DocSpec(
        title="安康市村（居）务公开工作暂行办法",
        unit="jczq",
        category=Category.COMMUNITY,
        start=D(2026, 6, 1),
        state=State.FILED,
        legal_basis="《中华人民共和国村民委员会组织法》《中华人民共和国城市居民委员会组织法》",
        purpose="规范村（居）务公开工作，保障村（居）民的知情权、参与权、表达权和监督权",
        articles=(
            "本办法适用于本市行政区域内的村民委员会和居民委员会。",
            "村（居）务公开实行一事一公开，涉及财务的事项至少每季度公开一次。",
            "乡镇人民政府（街道办事处）负责对村（居）务公开工作进行指导和监督。",
        ),
        notes=("暂行办法：有效期 2 年（标题含“暂行”）",),
    ),
    DocSpec(
        title="安康市公益性公墓管理办法",
        unit="shsw",
        category=Category.FUNERAL,
        start=D(2026, 10, 26),
        state=State.CORRECTION,
        legal_basis="《殡葬管理条例》《公墓管理暂行办法》",
        purpose="规范农村公益性公墓建设和管理，满足群众基本安葬需求",
        articles=(
            "本办法适用于本市行政区域内为农村村民提供遗体或者骨灰安葬服务的公益性公墓。",
            "公益性公墓由村民委员会或者乡镇人民政府建设，报县区民政局审批。",
            "公益性公墓经乡镇人民政府同意，可以向本行政区域以外人员提供墓穴。",
        ),
        correction=CorrectionSpec(
            item="superior_law",
            note="第四条允许公益性公墓向本行政区域以外人员提供墓穴，实为对外经营",
            findings="第四条与《殡葬管理条例》《公墓管理暂行办法》关于公益性公墓不得对外经营的规定不一致。",
            suggestion="建议删除第四条，并自收到本建议之日起30日内报送纠正处理情况。",
        ),
        notes=("备案审查发现与上位法不一致，纠错期限内待纠正",),
    ),
    DocSpec(
        title="安康市养老机构等级评定管理办法",
        unit="ylfw",
        category=Category.ELDERLY,
        start=D(2026, 9, 7),
        state=State.CORRECTED,
        market=True,
        competition=True,
        legal_basis="《养老机构管理办法》（民政部令第66号）《养老机构等级划分与评定》（GB/T 37276-2018）",
        purpose="推进养老机构标准化建设，提升养老服务质量",
        articles=(
            "本办法适用于本市行政区域内依法办理登记和备案的养老机构。",
            "养老机构等级分为五个等级，由市民政局组织评定。",
            "等级评定结果向社会公布，有效期三年。",
            "养老机构取得三星级以上等级的，方可申请市级养老服务运营补贴。",
        ),
        correction=CorrectionSpec(
            item="superior_law",
            note="第五条以等级作为补贴前置条件，排除、限制公平竞争",
            findings="第五条将取得三星级以上等级作为申请运营补贴的前置条件，未经公平竞争审查，违反《优化营商环境条例》关于平等对待各类市场主体的规定。",
            suggestion="建议删除第五条，并自收到本建议之日起30日内报送纠正处理情况。",
            handling="我局已删除第五条，补贴申请条件按《安康市养老机构运营补贴实施办法》执行，修改后的文本已在门户网站重新公布。",
        ),
        notes=("已报送纠正处理情况，待备案审查机关复核",),
    ),
    DocSpec(
        title="安康市结婚登记颁证服务规定",
        unit="shsw",
        category=Category.MARRIAGE,
        start=D(2026, 11, 2),
        state=State.SUPPLEMENT,
        legal_basis="《中华人民共和国民法典》《婚姻登记条例》",
        purpose="推进婚姻登记颁证服务规范化，弘扬文明婚俗",
        articles=(
            "本规定适用于本市各级婚姻登记机关办理结婚登记后的颁证服务。",
            "颁证服务坚持当事人自愿原则，不得收取任何费用。",
            "婚姻登记机关应当设置颁证厅，由颁证员为当事人颁发结婚证。",
        ),
        legal_basis_file=False,
        notes=("报送时缺制定依据，备案审查机关暂缓办理备案登记，待补充报送",),
    ),
    DocSpec(
        title="安康市特困人员认定办法",
        unit="shjz",
        category=Category.SOCIAL_ASSISTANCE,
        start=D(2026, 11, 2),
        state=State.FILING_REVIEW,
        legal_basis="《社会救助暂行办法》《特困人员认定办法》（民发〔2021〕43号）",
        purpose="规范特困人员认定工作，保障特困人员基本生活",
        articles=(
            "本办法适用于本市行政区域内无劳动能力、无生活来源、无法定赡养抚养扶养义务人或者其法定义务人无履行义务能力的老年人、残疾人和未成年人。",
            "特困人员认定由本人向户籍所在地乡镇人民政府（街道办事处）提出书面申请，县区民政局审核确认。",
            "县区民政局应当自收到申请之日起20个工作日内作出确认决定。",
        ),
        notes=("已报送备案，审查中",),
    ),
    DocSpec(
        title="安康市地名命名更名管理办法",
        unit="qhdm",
        category=Category.PLACE_NAMES,
        start=D(2026, 11, 9),
        state=State.PUBLICATION,
        legal_basis="《地名管理条例》（2022年修订）",
        purpose="规范地名命名、更名，保持地名的相对稳定",
        articles=(
            "本办法适用于本市行政区域内自然地理实体、居民点、道路街巷等地名的命名和更名。",
            "地名命名、更名应当进行综合评估，并征求社会公众意见。",
        ),
        notes=("已登记编号，待公布",),
    ),
    DocSpec(
        title="安康市困境儿童分类保障实施办法",
        unit="etfl",
        category=Category.OTHER,
        start=D(2026, 11, 11),
        state=State.REGISTRATION,
        legal_basis="《中华人民共和国未成年人保护法》《国务院关于加强困境儿童保障工作的意见》（国发〔2016〕36号）",
        purpose="建立健全困境儿童分类保障制度，保障困境儿童健康成长",
        articles=(
            "本办法所称困境儿童，包括因家庭贫困、自身残疾、缺乏有效监护等原因陷入困境的儿童。",
            "县区民政局会同有关部门对困境儿童实行分类保障，乡镇（街道）儿童督导员负责摸底排查。",
        ),
        notes=("局务会审议通过，待登记编号",),
    ),
    DocSpec(
        title="安康市社会组织评估管理办法",
        unit="shzz",
        category=Category.SOCIAL_ORGANISATIONS,
        start=D(2026, 11, 16),
        state=State.DELIBERATION,
        legal_basis="《社会组织评估管理办法》（民政部令第39号）",
        purpose="规范社会组织评估工作，促进社会组织健康发展",
        articles=(
            "本办法适用于在市民政局登记的社会团体、社会服务机构和基金会。",
            "社会组织评估结果分为5个等级，由高至低依次为5A级、4A级、3A级、2A级、1A级。",
        ),
        advisor_dissent="第五条将评估等级与承接政府购买服务资格挂钩，缺乏上位法依据，建议删除。",
        notes=("法律顾问不同意审核意见，退回重新审核后仍认定合法；待局务会审议（不同意见随附）",),
    ),
    DocSpec(
        title="安康市最低生活保障边缘家庭认定办法",
        unit="shjz",
        category=Category.SOCIAL_ASSISTANCE,
        start=D(2026, 11, 9),
        state=State.REVISION,
        legal_basis="《社会救助暂行办法》《最低生活保障审核确认办法》（民发〔2021〕57号）",
        purpose="规范最低生活保障边缘家庭认定工作，扩大社会救助覆盖面",
        articles=(
            "本办法所称最低生活保障边缘家庭，是指不符合最低生活保障条件，家庭人均收入低于当地最低生活保障标准1.5倍的家庭。",
            "最低生活保障边缘家庭认定由乡镇人民政府（街道办事处）受理，县区民政局审核确认。",
            "认定工作应当坚持公开、公平、公正的原则。",
            "申请人应当提供家庭成员近三年全部银行账户流水，并经公证机关公证。",
        ),
        notes=("合法性审核认为第五条增加申请人义务，退回修改",),
    ),
    DocSpec(
        title="安康市惠民殡葬政策实施办法",
        unit="shsw",
        category=Category.FUNERAL,
        start=D(2026, 11, 20),
        state=State.LEGALITY_REVIEW,
        legal_basis="《殡葬管理条例》",
        purpose="减轻群众殡葬负担，推进殡葬改革",
        articles=(
            "本办法适用于在本市死亡的本市户籍居民。",
            "遗体接运、暂存、火化和骨灰寄存等基本殡葬服务费用实行减免。",
        ),
        notes=("合法性审核中",),
    ),
    DocSpec(
        title="安康市养老机构运营补贴实施办法",
        unit="ylfw",
        category=Category.ELDERLY,
        start=D(2026, 11, 16),
        state=State.PUBLIC_COMMENT,
        market=True,
        legal_basis="《中华人民共和国老年人权益保障法》《养老机构管理办法》（民政部令第66号）",
        purpose="支持养老机构发展，提升养老服务供给能力",
        articles=(
            "本办法适用于本市行政区域内依法登记备案、正常运营满一年的养老机构。",
            "运营补贴按照实际入住的老年人数量按月核定，失能老年人补贴标准上浮50%。",
            "各类养老机构平等享受运营补贴，不得以所有制性质、注册地等设置不合理条件。",
        ),
        comment_window=(D(2026, 11, 16), D(2026, 12, 16)),  # 30 日, 民法典 art. 201
        notes=("公开征求意见中（涉及市场主体，30日）",),
    ),
    DocSpec(
        title="安康市居家和社区养老服务补贴管理办法",
        unit="ylfw",
        category=Category.ELDERLY,
        start=D(2026, 11, 23),
        state=State.DRAFTING,
        legal_basis="《中华人民共和国老年人权益保障法》",
        purpose="规范居家和社区养老服务补贴的申请、发放和监督管理",
        articles=(
            "本办法适用于本市户籍、经评估需要居家和社区养老服务的经济困难老年人。",
            "补贴以服务券形式发放，用于购买助餐、助浴、助洁等服务。",
        ),
        notes=("起草中",),
    ),
    DocSpec(
        title="汉滨区城乡低保动态管理实施细则",
        organisation="hbmz",
        unit="",
        category=Category.SOCIAL_ASSISTANCE,
        start=D(2026, 11, 23),
        state=State.DRAFTING,
        legal_basis="《社会救助暂行办法》《安康市城乡居民最低生活保障审核确认办法》",
        purpose="规范本区城乡最低生活保障动态管理",
        articles=(
            "本细则适用于汉滨区行政区域内的城乡最低生活保障对象。",
            "镇（街道）对保障对象实行分类管理，定期核查家庭收入和财产状况。",
        ),
        notes=("县区民政局起草（演示单位隔离：市民政局账号看不到）",),
    ),
    *FILING_DOCUMENTS,
]


CN_NUMERALS = "零一二三四五六七八九十"


def article_number(n):
    if n <= 10:
        return CN_NUMERALS[n]
    return ("十" if n < 20 else CN_NUMERALS[n // 10] + "十") + (
        CN_NUMERALS[n % 10] if n % 10 else ""
    )


def body(spec):
    """The draft's text: the spec's own, or 第一条 purpose and basis, its articles, then 施行."""
    if spec.text:
        return spec.text
    word = "本" + spec.title[-2:]  # 本办法 / 本细则 / 本规定 / 本制度
    lines = [
        f"第一条 为了{spec.purpose}，根据{spec.legal_basis}等有关规定，结合本市实际，制定{word}。"
    ]
    for number, article in enumerate(spec.articles, start=2):
        lines.append(f"第{article_number(number)}条 {article}")
    last = len(spec.articles) + 2
    years = 2 if is_provisional(spec.title) else 5  # 暂行、试行: the shorter term (§8)
    lines.append(f"第{article_number(last)}条 {word}自公布之日起30日后施行，有效期{years}年。")
    return "\n".join(lines)
