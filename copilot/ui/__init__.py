"""The desktop app (PySide6 lives only here): overlay, control window, bridge from the pipeline."""
