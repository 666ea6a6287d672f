"""Components that put accord into the frameworks RAG pipelines are built with.

- ``accord.integrations.langchain``: ``AccordCompressor``, a LangChain document compressor
  (extra ``langchain``: ``pip install "accord[langchain]"``), and ``check_documents``.

Each module imports its framework when it is imported, never before.
"""
