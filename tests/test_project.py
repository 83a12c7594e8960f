"""Rules about the repository itself: environments in step, notebooks clean."""

from __future__ import annotations

import json
import re
import tomllib

import pytest
import yaml

from klachtlib import config

PYPROJECT = tomllib.loads((config.PROJECT_DIR / "pyproject.toml").read_text(encoding="utf-8"))


def _split(requirement: str) -> tuple[str, str]:
    """'pandera[pandas]>=0.24' -> ('pandera', '>=0.24')."""
    match = re.match(r"^\s*([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*(.*)$", requirement)
    assert match, requirement
    return match.group(1).lower(), match.group(3).replace(" ", "")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = PYPROJECT["project"]
    wanted = dict(_split(r) for r in project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted.update(_split(r) for r in extra)
    env = yaml.safe_load((config.PROJECT_DIR / "environment.yml").read_text(encoding="utf-8"))
    conda = dict(
        _split(d) for d in env["dependencies"] if isinstance(d, str) and not d.startswith(("python", "pip"))
    )
    assert conda == wanted


def test_environment_yml_installs_the_package_itself_through_pip():
    env = yaml.safe_load((config.PROJECT_DIR / "environment.yml").read_text(encoding="utf-8"))
    pip_sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict)]
    assert pip_sections == [["-e ."]]


@pytest.mark.parametrize("notebook", sorted(config.NOTEBOOKS_DIR.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebooks_are_committed_without_outputs(notebook):
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)


def test_readme_documents_every_narrative_placeholder():
    from klachtlib.text import PLACEHOLDERS

    readme = (config.PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    assert [name for name in PLACEHOLDERS if f"`{{{{ {name} }}}}`" not in readme] == []


def test_readme_quick_start_is_exactly_make_report_and_make_test():
    readme = (config.PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Snel aan de slag", 1)[1].split("```")[1]
    assert quick_start.split() == ["make", "report", "make", "test"]
