"""``python -m copilot`` runs the same command line as ``copilot``."""

from copilot.cli import main

raise SystemExit(main())
