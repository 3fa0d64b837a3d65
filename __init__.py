"""policykg: trace policy lineage in Chinese government documents as a knowledge graph."""
from .api import (
    check,
    cypher,
    demo,
    export,
    ingest,
    links,
    query,
    read_graph,
    serve,
    sparql,
    trace,
    visualize,
)
from .loaders import Extraction, ReadError, extract, extract_many, extract_text

__version__ = "0.1.0"
__all__ = ["Extraction", "ReadError", "check", "cypher", "demo", "export", "extract", "extract_many", "extract_text", "ingest", "links", "query", "read_graph", "serve", "sparql", "trace", "visualize"]
