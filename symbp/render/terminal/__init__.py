"""The terminal printers: rich renderables and plain text for every record.

``console`` is the one boundary to the screen (width, encoding, ASCII); ``explain`` with
``explain_pieces`` and ``sweeps`` print an explanation, ``gradient`` a gradient, ``network``
with ``network_pieces`` the derivation of BP1–BP4 and ``walkthrough`` the numeric
walkthrough; ``rows`` is the table engine they share.
"""
