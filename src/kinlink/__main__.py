"""``python -m kinlink`` runs the command line."""

from kinlink.cli import main

main()
