"""The delivery layer of klachtlib (see CONTRIBUTING.md, "Layout")."""
