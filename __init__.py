"""policykg: trace policy lineage in Chinese government documents as a knowledge graph."""
from .api import demo, ingest, links, read_graph
from .loaders import Extraction, ReadError, extract, extract_many, extract_text

__version__ = "0.1.0"
__all__ = ["demo", "ingest", "links", "read_graph", "extract", "extract_many", "extract_text", "Extraction", "ReadError"]
