"""accord's LangChain component against the real langchain-core (extra ``langchain``)."""

from __future__ import annotations

import pytest
from langchain_core.documents import BaseDocumentCompressor, Document

from accord.integrations.langchain import AccordCompressor, check_documents

QUESTION = "When was the Harlow County Courthouse built?"


def _documents() -> list[Document]:
    return [
        Document(
            page_content="The Harlow County Courthouse in Mirren was built in 1902. "
            "It was designed by the architect Thomas Reed.",
            metadata={
                "source": "https://example.org/county",
                "title": "Harlow County Courthouse",
                "kind": "encyclopedia",
                "page": "3",
            },
            id="county",
        ),
        Document(
            page_content="The Harlow County Courthouse was built in 1902 by a local firm. "
            "It was designed by the architect Thomas Reed.",
            metadata={"source": "blog.txt"},
            id="blog",
        ),
        Document(
            page_content="The Harlow County Courthouse was built in 1885. "
            "Visitors can tour the courtroom on weekdays.",
            metadata={},
        ),
    ]


def test_it_is_a_langchain_document_compressor() -> None:
    assert isinstance(AccordCompressor(), BaseDocumentCompressor)


def test_compressor_annotates_and_orders_documents_by_trust() -> None:
    out = AccordCompressor().compress_documents(_documents(), query=QUESTION)
    assert len(out) == 3
    ids = [d.metadata["accord"]["id"] for d in out]
    assert ids[-1] == "document 3"  # the passage that stands alone against two
    last = out[-1].metadata["accord"]
    assert last["rank"] == 3 and last["trust"] < out[0].metadata["accord"]["trust"]
    assert set(last["contradicted_by"]) == {"county", "blog"}
    assert any("1885" in c["evidence"] and "1902" in c["other_evidence"] for c in last["conflicts"])
    county = next(d for d in out if d.id == "county")
    assert county.metadata["page"] == "3"  # the document's own metadata is kept


def test_compressor_can_leave_out_contradicted_documents() -> None:
    out = AccordCompressor(drop_contradicted=True).compress_documents(_documents(), query=QUESTION)
    assert [d.metadata["accord"]["id"] for d in out] == ["county", "blog"] or [
        d.metadata["accord"]["id"] for d in out
    ] == ["blog", "county"]


def test_check_documents_reads_langchain_metadata() -> None:
    result = check_documents(_documents(), QUESTION)
    documents = {d.source_id: d for d in result.report.documents}
    county = documents["county"]
    assert county.url == "https://example.org/county"
    assert county.kind.value == "encyclopedia" and county.kind_origin.startswith("declared")
    assert ("page", "3") in county.metadata
    assert ("source", "blog.txt") in documents["blog"].metadata


def test_an_empty_list_stays_empty() -> None:
    assert AccordCompressor().compress_documents([], query=QUESTION) == []


def test_unknown_compressor_fields_are_refused() -> None:
    with pytest.raises(ValueError):
        AccordCompressor(no_such_field=1)  # type: ignore[call-arg]
