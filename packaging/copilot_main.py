"""The frozen app's entry point: the same ``copilot`` command line as a pip install gives."""

import multiprocessing
import sys

from copilot.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # Windows: a child process of the frozen app runs as a child, not a second app
    sys.exit(main())
