"""One module per command; each ``run_*`` takes the parsed arguments and returns the exit code.

The argument table lives in ``copilot.cli``; what a command builds comes from
``copilot.wiring``. A command raises :class:`~copilot.errors.UserError` for anything the
user can fix, and the command line prints it as one sentence.
"""
