"""Every error accord raises on purpose.

AccordError
├── ConfigError
├── RegistryError
│   ├── UnknownStageError        lists the registered names
│   └── DuplicateStageError
├── MissingExtraError            says which extra to install
├── JudgeUnreachableError        the LLM judge's endpoint did not answer
├── IngestError                  a source could not be read as a document
│   ├── SourceNotFoundError
│   ├── NotAFileError            a pipe, socket or device: never opened
│   ├── EmptyDocumentError
│   ├── BinaryInputError
│   ├── DecodeError              suggests --encoding
│   ├── UnsupportedFormatError
│   ├── InputTooLargeError
│   └── TooManyDocumentsError
├── DocumentTimeoutError         a document took longer than the per-document limit
├── DocumentMemoryError          a document needed more memory than the per-document limit
├── StageError                   stage name + doc id, with the cause chained
└── StoreError
    ├── SchemaVersionError       the store was written by a newer accord
    ├── StoreNotFoundError       no store at the given path (run accord add first)
    └── UnknownSubjectError      lists the subjects the store holds
"""

from __future__ import annotations


class AccordError(Exception):
    """Base of every error accord raises on purpose."""

    exit_code = 2


class ConfigError(AccordError):
    """A setting is invalid."""


class RegistryError(AccordError):
    """A stage implementation could not be registered or found."""


class UnknownStageError(RegistryError):
    """No implementation is registered under the requested name."""


class DuplicateStageError(RegistryError):
    """A name was registered twice."""


class MissingExtraError(AccordError):
    """An optional dependency is not installed."""


class JudgeUnreachableError(AccordError):
    """The LLM judge's endpoint could not be reached (nothing listens, or it timed out)."""


class IngestError(AccordError):
    """A source could not be read as a document."""


class SourceNotFoundError(IngestError):
    """A path does not exist or holds no documents."""


class NotAFileError(IngestError):
    """A path is a named pipe, socket or device, not a regular file (it is never opened)."""


class EmptyDocumentError(IngestError):
    """A source has no text left to check."""


class BinaryInputError(IngestError):
    """A source is binary data, not text."""


class DecodeError(IngestError):
    """A source's bytes could not be decoded as text."""


class UnsupportedFormatError(IngestError):
    """A source's format is not one accord reads."""


class InputTooLargeError(IngestError):
    """A source exceeds the configured size limit."""


class TooManyDocumentsError(IngestError):
    """A run names more documents than the configured limit."""


class DocumentTimeoutError(AccordError):
    """Ingest and claims of one document took longer than the per-document time limit."""


class DocumentMemoryError(AccordError):
    """Ingest and claims of one document needed more memory than the per-document limit."""


class StageError(AccordError):
    """A stage failed on a document; the cause is chained."""

    def __init__(self, stage: str, doc_id: str, message: str) -> None:
        super().__init__(f"{stage} failed on document {doc_id}: {message}")
        self.stage = stage
        self.doc_id = doc_id


class StoreError(AccordError):
    """The store could not be read or written."""


class SchemaVersionError(StoreError):
    """The store's schema version is newer than this accord understands."""


class StoreNotFoundError(StoreError):
    """No store exists at the given location."""


class UnknownSubjectError(StoreError):
    """The store holds no documents about the requested subject."""
