"""The domain layer of klachtlib (see CONTRIBUTING.md, "Layout")."""
