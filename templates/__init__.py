"""Default post templates, installed as scheduler.templates (see pyproject.toml)."""
