"""The presentation layer of klachtlib (see CONTRIBUTING.md, "Layout")."""
