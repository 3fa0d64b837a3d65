"""Records the extractor produces. Every record that comes from the text keeps a source span:
character offsets into the text as the reader decoded it (before cleaning), end exclusive."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

ROLES = ("lead", "responsible", "cooperate")
LEVELS = ("national", "province", "city", "county")


@dataclass
class Span:
    start: int
    end: int


@dataclass
class Department:
    name: str                       # as printed (line breaks and spacing removed)
    role: str                       # lead | responsible | cooperate
    canonical: str = ""             # aliases expanded, elided prefix restored
    collective: bool = False        # 各县区政府, 市直相关部门: a set of bodies, not one
    region: str | None = None
    span: Span | None = None
    region_path: list[str] = field(default_factory=list)   # where it is: 国家 > 青海省 > 海东市
    full_name: str = ""             # its name with its place: 海东市卫生健康委员会


@dataclass
class Target:
    text: str                       # the clause that states it
    value: float
    unit: str
    comparator: str | None          # ">=", "<=", "=" or None
    measure: str = ""               # what is measured: the clause without the number
    by: str | None = None           # 2025, 年内 ... where the text gives a time frame
    span: Span | None = None
    kind: str | None = None         # "instrument": a subsidy, award, tax or fee amount (not a goal)


@dataclass
class Citation:
    title: str | None
    doc_number: str | None
    doc_number_key: str | None = None
    issuer: str | None = None       # 国务院办公厅《…》: the body printed before the title
    basis: bool = False             # 根据/为贯彻落实/按照…: the document says it implements this
    span: Span | None = None
    level: str | None = None        # where the cited document was issued, as far as the citing
    region: str | None = None       # text tells (its issuer, a national 文号 code); else None


@dataclass
class Task:
    path: list[str]
    title: str
    text: str
    departments: list[Department] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    deadline: str | None = None
    span: Span | None = None


@dataclass
class LedgerRow:
    row: int
    task: str
    lead: list[str]
    cooperate: list[str]
    deadline: str | None
    span: Span | None = None
    task_index: int | None = None   # the task (in Document.tasks) whose text the row restates
    departments: list[Department] = field(default_factory=list)   # lead and cooperate, canonical


@dataclass
class Document:
    doc_number: str | None
    doc_number_key: str | None
    title: str | None
    attachment_title: str | None
    issuer: str | None
    date: str | None
    published: str | None
    level: str | None
    region: str | None
    region_path: list[str] = field(default_factory=list)   # 青海省 > 海东市 > 互助土族自治县
    citations: list[Citation] = field(default_factory=list)
    repeals: list[str] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    ledger: list[LedgerRow] = field(default_factory=list)
    span: Span | None = None
    issuers: list[Department] = field(default_factory=list)   # the issuer's bodies, one each (role "issuer")

    @property
    def basis(self) -> list[str]:
        return [name for c in self.citations if c.basis and (name := c.doc_number or c.title)]


@dataclass
class Extraction:
    """What one input file yields: zero or more documents."""
    source: str
    documents: list[Document]
    encoding: str | None = None
    content_hash: str | None = None     # see extract.content_hash

    def to_dict(self) -> dict:
        """The gold format of ../shared/gold/FORMAT.md, plus ids, canonical names and spans."""
        docs = []
        for d in self.documents:
            item = asdict(d)
            item["basis"] = d.basis
            docs.append(item)
        return {"source": self.source, "encoding": self.encoding, "documents": docs}
