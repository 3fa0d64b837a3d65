"""Tables read with their cells (DOCX, PDF): task tables and 台账 ledgers by their column names."""
import docx
import policykg

HEAD = ["三明市医改领导小组关于印发《重点任务分解表》的通知", "明医改组〔2024〕4号", "各县（市、区）医改领导小组：",
        "现印发给你们。", "2024年3月1日", "附件", "重点任务分解表"]


def _docx(path, paragraphs, rows):
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.save(path)


def test_task_table_with_repeated_rows(tmp_path):
    path = tmp_path / "table.docx"
    _docx(path, HEAD, [
        ["工作任务", "主要目标要求", "细化措施", "责任单位"],
        ["一、坚持整体推进", "1.加强医改工作统筹协调。", "①建立机制。", "市卫健委、教育局，各县（市、区）"],
        ["一、坚持整体推进", "1.加强医改工作统筹协调。", "②培训救护员3.3万人。", "市卫健委、教育局，各县（市、区）"],
        ["", "2.推进医防融合。", "完成防猝死信息平台建设。", "市卫健委、财政局"],
    ])
    doc = policykg.extract(path).documents[0]
    assert [t.path for t in doc.tasks] == [["一", "1"], ["一", "2"]]
    first = doc.tasks[0]
    assert first.title == "加强医改工作统筹协调"
    assert [d.name for d in first.departments] == ["市卫健委", "教育局", "各县（市、区）"]
    assert [d.canonical for d in first.departments][:2] == ["市卫生健康委员会", "市教育局"]
    assert "②培训救护员3.3万人" in first.text and [t.value for t in first.targets] == [33000.0]


def test_ledger_table_with_lead_and_cooperate_columns(tmp_path):
    path = tmp_path / "ledger.docx"
    _docx(path, ["海东市人民政府办公室关于印发测试工作任务的通知", "东政办〔2023〕47号", "各县区人民政府：",
                 "现印发给你们。", "2023年6月7日", "附件", "测试工作任务台账"], [
        ["序号", "重点任务", "责任部门", "配合部门", "时限要求"],
        ["1", "完善考核机制。", "各县区政府、市医改领导小组秘书处", "市直相关部门", "12月底"],
        ["2", "落实投入责任。", "市财政局", "", "10月底"],
    ])
    doc = policykg.extract(path).documents[0]
    assert [(r.row, r.lead, r.cooperate, r.deadline) for r in doc.ledger] == [
        (1, ["各县区政府", "市医改领导小组秘书处"], ["市直相关部门"], "12月底"),
        (2, ["市财政局"], [], "10月底"),
    ]
