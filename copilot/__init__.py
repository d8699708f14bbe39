"""Live Call Copilot: a local, on-call coach that helps a sales rep hand control back to the buyer."""

__version__ = "0.1.0"
