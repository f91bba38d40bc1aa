"""The demo's documents that show the filing's later decisions (法规规章备案条例
art. 7, 9, 14, 17, 20): 不予备案登记 at receipt, a correction escalated to 撤销, to
改变 and to 通报, and a filed document's review reopened on a citizen's 审查建议; and,
beside them, a document the body declared invalid (宣布失效) in its 民法典 清理.
`manage.py seed_demo` walks them as it walks review.demo_data's."""

from .choices import Category
from .demo_specs import CorrectionSpec, D, DocSpec
from .states import State

FILING_DOCUMENTS = [
    DocSpec(
        title="安康市民政局机关公文处理实施细则",
        unit="bgs",
        category=Category.GOVERNMENT_AFFAIRS,
        start=D(2026, 5, 11),
        state=State.NOT_REGISTERED,
        legal_basis="《党政机关公文处理工作条例》",
        purpose="规范本局机关公文处理工作",
        articles=(
            "本细则适用于本局机关各科室的公文拟制、办理和管理。",
            "公文由办公室统一登记、分办、催办和归档。",
        ),
        refusal_reason="经审查，该文件规范本机关内部公文处理程序，不涉及公民、法人和其他组织的权利义务，"
        "不属于行政规范性文件备案审查范围，不予备案登记，报备材料予以退回。",
        notes=("备案审查机关认定不属于备案范围，不予备案登记；文件仍有效并保留登记号",),
    ),
    DocSpec(
        title="安康市殡葬服务收费管理办法",
        unit="shsw",
        category=Category.FUNERAL,
        start=D(2026, 3, 2),
        state=State.REVOKED,
        legal_basis="《殡葬管理条例》《中华人民共和国价格法》",
        purpose="规范殡葬服务收费行为",
        articles=(
            "本办法适用于本市行政区域内殡仪馆、公墓提供的殡葬服务。",
            "殡葬服务收费标准由市民政局核定。",
            "殡葬服务单位应当在服务场所显著位置公示收费项目和标准。",
        ),
        correction=CorrectionSpec(
            item="authority",
            note="第三条规定收费标准由市民政局核定，民政部门无价格核定职权",
            findings="第三条超越法定职权：殡葬服务收费依照价格法律法规由价格主管部门管理。",
            suggestion="建议删除第三条，并自收到本建议之日起30日内报送纠正处理情况。",
            handling="我局认为第三条符合工作实际，暂不修改。",
        ),
        escalation="revoke",
        notes=("审查意见未获纠正，备案审查机关决定撤销",),
    ),
    DocSpec(
        title="安康市居家养老服务质量评价办法",
        unit="ylfw",
        category=Category.ELDERLY,
        start=D(2026, 3, 16),
        state=State.FILED,
        legal_basis="《养老机构管理办法》（民政部令第66号）",
        purpose="规范居家养老服务质量评价",
        articles=(
            "本办法适用于本市行政区域内提供居家养老服务的机构。",
            "服务机构未参加质量评价的，不得承接政府购买服务，并处以罚款。",
            "质量评价结果向社会公布。",
        ),
        correction=CorrectionSpec(
            item="superior_law",
            note="第三条设定罚款，没有法律依据",
            findings="第三条“并处以罚款”没有法律、法规依据，违法设定行政处罚。",
            suggestion="建议删除第三条中“并处以罚款”，并自收到本建议之日起30日内报送纠正处理情况。",
            handling="我局已研究，拟在下次修订时一并修改。",
        ),
        escalation="change",
        notes=("审查意见未获纠正，备案审查机关决定改变第三条，文件按改变后的内容继续有效",),
    ),
    DocSpec(
        title="安康市社会救助家庭经济状况核对实施细则",
        unit="shjz",
        category=Category.SOCIAL_ASSISTANCE,
        start=D(2026, 6, 1),
        state=State.CORRECTION,
        legal_basis="《社会救助暂行办法》",
        purpose="规范社会救助家庭经济状况核对工作",
        articles=(
            "本细则适用于本市行政区域内申请社会救助家庭的经济状况核对。",
            "申请人应当提供近三年的全部银行流水，并经公证。",
            "核对结果作为社会救助审核确认的依据。",
        ),
        correction=CorrectionSpec(
            item="superior_law",
            note="第三条要求提供公证的三年银行流水，增加申请人义务",
            findings="第三条要求申请人提供经公证的近三年银行流水，没有上位法依据，增加了申请人义务。",
            suggestion="建议删除第三条中的公证要求，并自收到本建议之日起30日内报送纠正处理情况。",
            handling="我局将另行研究。",
        ),
        escalation="notify",
        notes=("纠正处理情况不到位，备案审查机关予以通报，仍待纠正",),
    ),
    DocSpec(
        title="安康市孤儿基本生活费发放管理办法",
        unit="shjz",
        category=Category.SOCIAL_ASSISTANCE,
        start=D(2026, 2, 2),
        state=State.UNDER_REVIEW,
        legal_basis="《国务院办公厅关于加强孤儿保障工作的意见》（国办发〔2010〕54号）",
        purpose="规范孤儿基本生活费发放工作",
        articles=(
            "本办法适用于本市行政区域内的孤儿和事实无人抚养儿童。",
            "基本生活费按月发放，由县区民政局审核。",
        ),
        reopen_reason="收到公民书面审查建议，认为第三条发放条件与上位法不一致（备案条例第九条），重新审查。",
        notes=("已备案后收到公民审查建议，备案审查机关重新审查",),
    ),
    DocSpec(
        title="安康市婚姻登记工作规程",
        unit="shsw",
        category=Category.MARRIAGE,
        start=D(2016, 9, 1),
        state=State.EXPIRED,
        legal_basis="《中华人民共和国婚姻法》《婚姻登记条例》",
        purpose="规范本市婚姻登记工作",
        articles=(
            "本规程适用于本市各级婚姻登记机关办理婚姻登记。",
            "婚姻登记员应当依照《中华人民共和国婚姻法》审查当事人提交的证件和证明材料。",
        ),
        decision_number="安民函〔2020〕135号",
        ended_on=D(2021, 1, 1),
        end_note="《中华人民共和国民法典》自2021年1月1日起施行，《中华人民共和国婚姻法》同时废止，"
        "本规程的主要依据已失效；经民法典涉及规范性文件清理，宣布自2021年1月1日起失效。",
        notes=("民法典清理：制定机关以决定宣布失效（有文号，自2021年1月1日起）",),
    ),
]
