"""Read policy documents into structured records: clean, segment, extract."""
from ..errors import ReadError
from .cleaning import clean
from .extraction import extract, extract_many, extract_text
from .models import Citation, Department, Document, Extraction, LedgerRow, Target, Task
from .readers import read

__all__ = [
           "Citation",
           "Department",
           "Document",
           "Extraction",
           "LedgerRow",
           "ReadError",
           "Target",
           "Task",
           "clean",
           "extract",
           "extract_many",
           "extract_text",
           "read",
]
