"""``python -m symbp`` runs the command-line interface."""

from .cli import main

main()
