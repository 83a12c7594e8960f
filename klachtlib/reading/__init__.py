"""The reading layer of klachtlib (see CONTRIBUTING.md, "Layout")."""
