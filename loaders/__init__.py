"""Read policy documents into structured records: clean, segment, extract."""
from .clean import clean
from .extract import extract, extract_many, extract_text
from .models import Citation, Department, Document, Extraction, LedgerRow, Target, Task
from .readers import ReadError, read

__all__ = ["clean", "extract", "extract_many", "extract_text", "read", "ReadError", "Citation",
           "Department", "Document", "Extraction", "LedgerRow", "Target", "Task"]
