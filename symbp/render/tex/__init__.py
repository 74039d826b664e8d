"""TeX shared by the LaTeX and Markdown printers: the documents both print.

``math`` and ``width`` print and measure TeX math, ``document`` is the one document model
(``Part``: headings, prose runs, tables, lists, aligned rows) that ``render.latex`` and
``render.markdown`` print for both commands, and ``explain_document`` (the LaTeX article,
with ``explain_leads`` and ``explain_chains``), ``explain_summary`` (the Markdown one;
both documents' prose math is SymPy, the notation in ``explain_math``),
``network_document``/``network_math`` and ``walkthrough`` build the documents of
``symbp explain``, ``symbp network --layers`` and ``symbp network --spec``.
"""
