"""The stages put together: one page from source to storable parts in a worker process (worker.py, its
analyses in analyze.py), a batch of pages written by one process then traced (batch.py), everything derived
again from the stored raw responses (reextract.py)."""
from .analyze import analyze_document, analyze_text
from .batch import finish_batch, run_batch
from .reextract import reextract_all
from .worker import process_body, process_task

__all__ = ["analyze_document", "analyze_text", "finish_batch", "run_batch", "reextract_all", "process_body",
           "process_task"]
