"""TeX shared by the LaTeX and Markdown printers: the documents both print.

``math`` and ``width`` print and measure TeX math, ``document`` is the document model
(headings, prose, aligned rows), and ``explain_document``/``explain_chains``,
``network_document``/``network_math`` and ``walkthrough`` build the documents of
``symbp explain``, ``symbp network --layers`` and ``symbp network --spec``.
"""
