"""The graph as the CSV files Neo4j's bulk loader reads (`neo4j-admin database import full`), for a
corpus too big to send through the driver: one file per node label and per relationship type,
with the header format of Neo4j's operations manual ("Import header format"):

- nodes: ``id:ID`` (the id is kept as the ``id`` property the queries use), one ``name:type``
  column per property, ``:LABEL``;
- relationships: ``:START_ID``, ``:END_ID``, ``:TYPE``, then the properties.

Ids are unique across labels (each carries its label's prefix, see schema.py), so one id space is
enough. A missing value is an empty unquoted field, which the loader leaves unset, as the stores
do. Texts hold line breaks, hence ``--multiline-fields=true`` in the command written beside them.
"""
from __future__ import annotations

import csv
import os
from pathlib import Path

import networkx as nx

from .schema import NODES, RELS

# schema type → the import tool's type name
CSV_TYPES = {"STRING": "string", "INT64": "long", "DOUBLE": "double", "BOOLEAN": "boolean"}
COMMAND_FILE = "neo4j-admin-import.txt"


def node_header(label: str) -> list[str]:
    return ["id:ID"] + [f"{p}:{CSV_TYPES[t]}" for p, t in NODES[label].items() if p != "id"] + [":LABEL"]


def relationship_header(rel: str) -> list[str]:
    return [":START_ID", ":END_ID", ":TYPE"] + [f"{p}:{CSV_TYPES[t]}" for p, t in RELS[rel]["props"].items()]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _write_csv(path: Path, header: list[str], rows) -> int:
    """Write beside the target and rename it into place, so a failed export leaves no half file."""
    part = path.with_name(path.name + ".part")
    count = 0
    with open(part, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        for row in rows:
            out.writerow([_cell(v) for v in row])
            count += 1
    os.replace(part, path)
    return count


def write(G: nx.MultiDiGraph, folder: str | os.PathLike, database: str = "neo4j") -> dict:
    """Write nodes/<Label>.csv, relationships/<TYPE>.csv and the import command into `folder`.
    Returns {"nodes": {label: n}, "relationships": {type: n}, "command": str}."""
    folder = Path(folder)
    (folder / "nodes").mkdir(parents=True, exist_ok=True)
    (folder / "relationships").mkdir(parents=True, exist_ok=True)
    counts: dict = {"nodes": {}, "relationships": {}}
    for label, props in NODES.items():
        columns = [p for p in props if p != "id"]
        rows = ([n, *(d.get(p) for p in columns), label]
                for n, d in sorted(G.nodes(data=True)) if d.get("label") == label)
        counts["nodes"][label] = _write_csv(folder / "nodes" / f"{label}.csv", node_header(label), rows)
    for rel, spec in RELS.items():
        columns = list(spec["props"])
        rows = ([u, v, rel, *(d.get(p) for p in columns)]
                for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: e[:3]) if k == rel)
        counts["relationships"][rel] = _write_csv(folder / "relationships" / f"{rel}.csv",
                                                  relationship_header(rel), rows)
    command = ("neo4j-admin database import full --multiline-fields=true "
               + " ".join(f"--nodes=nodes/{label}.csv" for label in NODES) + " "
               + " ".join(f"--relationships=relationships/{rel}.csv" for rel in RELS)
               + f" {database}")
    (folder / COMMAND_FILE).write_text(
        "# Run in this folder with the Neo4j DBMS stopped. The database must not exist yet (or add\n"
        "# --overwrite-destination=true); start the DBMS afterwards (Enterprise: CREATE DATABASE).\n"
        + command + "\n",
        encoding="utf-8")
    counts["command"] = command
    return counts
