"""Named Cypher queries: one ``.cypher`` file each, runnable unchanged on the embedded store and on
Neo4j. A file starts with a header of ``//`` lines:

    // name: owners
    // description: one line
    // param phrase: STRING = 住院量占比 -- what it is

Parameters always go to the engine as parameters, never into the query text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ..errors import NotFoundError, QueryError

_HEADER = re.compile(r"^//\s*(name|description):\s*(.+?)\s*$")
_PARAM = re.compile(r"^//\s*param\s+(\w+):\s*(STRING|INTEGER|FLOAT|BOOLEAN)\s*=\s*(.*?)\s*(?:--\s*(.*))?$")
TYPES = {"STRING": str, "INTEGER": int, "FLOAT": float, "BOOLEAN": lambda s: s.lower() in ("1", "true", "yes")}


@dataclass
class Param:
    name: str
    type: str
    example: str
    help: str = ""

    def convert(self, value):
        if not isinstance(value, str):
            return value
        try:
            return TYPES[self.type](value)
        except ValueError:
            raise QueryError(f"parameter {self.name} must be {self.type}, not {value!r}") from None


@dataclass
class NamedQuery:
    name: str
    description: str
    text: str
    params: list[Param] = field(default_factory=list)

    def bind(self, given: dict) -> dict:
        """Check and convert the parameters; a missing one takes its example value only if it is
        the depth-like INTEGER kind (a default), otherwise it is an error."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise QueryError(f"{self.name} has no parameter {', '.join(unknown)} "
                             f"(it takes: {', '.join(known) or 'none'})")
        bound = {}
        for p in self.params:
            if p.name in given:
                bound[p.name] = p.convert(given[p.name])
            elif p.type == "INTEGER":
                bound[p.name] = p.convert(p.example)
            else:
                raise QueryError(f"{self.name} needs --param {p.name}=… (e.g. {p.name}={p.example})")
        return bound

    def usage(self) -> str:
        params = " ".join(f"--param {p.name}={p.example}" for p in self.params)
        return f"policykg query {self.name} {params}".strip()


def parse(text: str, origin: str = "<query>") -> NamedQuery:
    meta, params = {}, []
    for line in text.splitlines():
        if not line.startswith("//"):
            continue
        if m := _HEADER.match(line):
            meta[m.group(1)] = m.group(2)
        elif m := _PARAM.match(line):
            params.append(Param(m.group(1), m.group(2), m.group(3), m.group(4) or ""))
    if "name" not in meta or "description" not in meta:
        raise QueryError(f"{origin}: the header needs '// name:' and '// description:' lines")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("//")).strip()
    return NamedQuery(meta["name"], meta["description"], body, params)


@lru_cache(maxsize=1)
def named_queries() -> dict[str, NamedQuery]:
    folder = resources.files("policykg.queries")
    found = {}
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".cypher"):
            q = parse(item.read_text(encoding="utf-8"), item.name)
            found[q.name] = q
    return found


def get(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise NotFoundError(f"no named query {name!r} (known: {', '.join(queries)})")
    return queries[name]


# Cypher clauses that change a graph or its store; string literals and comments are removed
# before looking. This only turns a mistake into a helpful message (add --write): read-only is
# enforced by the engine (a read-only database and transaction, see graph.embedded and
# graph.neo4j_store), which refuses what this list misses.
_WRITES = re.compile(r"\b(CREATE|MERGE|DELETE|DETACH|SET|REMOVE|DROP|ALTER|COPY|LOAD|INSTALL|ATTACH|IMPORT"
                     r"|CHECKPOINT|UPDATE|EXPORT)\b",
                     re.IGNORECASE)
_LITERALS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.DOTALL)


_PARAMETER = re.compile(r"\$(\w+)")


def parameters(query: str) -> list[str]:
    """The $parameters a query uses, in order of first use (literals and comments left out)."""
    return list(dict.fromkeys(_PARAMETER.findall(_LITERALS.sub(" ", query))))


def writes(query: str) -> str | None:
    """The first clause in the query that would change the graph, or None."""
    m = _WRITES.search(_LITERALS.sub(" ", query))
    return m.group(1).upper() if m else None
