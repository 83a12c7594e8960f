"""Rules about the repository itself: environments in step, notebooks clean."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import nbformat
import yaml

from klachtlib import config

PYPROJECT = tomllib.loads((config.PROJECT_DIR / "pyproject.toml").read_text(encoding="utf-8"))


def _split(requirement: str) -> tuple[str, str]:
    """'playwright[extra]>=1.45' -> ('playwright', '>=1.45')."""
    match = re.match(r"^\s*([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*([^#]*)", requirement)
    assert match, requirement
    return match.group(1).lower(), match.group(3).replace(" ", "")


# conda-forge names that differ from the PyPI name of the same package.
CONDA_TO_PYPI = {"playwright-python": "playwright", "seaborn-base": "seaborn"}


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = PYPROJECT["project"]
    wanted = dict(_split(r) for r in project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted.update(_split(r) for r in extra)
    env = yaml.safe_load((config.PROJECT_DIR / "environment.yml").read_text(encoding="utf-8"))
    conda = dict(
        _split(d) for d in env["dependencies"] if isinstance(d, str) and _split(d)[0] not in ("python", "pip")
    )
    assert {CONDA_TO_PYPI.get(name, name): spec for name, spec in conda.items()} == wanted


def test_environment_yml_names_the_python_bindings_of_playwright():
    env = yaml.safe_load((config.PROJECT_DIR / "environment.yml").read_text(encoding="utf-8"))
    names = {_split(d)[0] for d in env["dependencies"] if isinstance(d, str)}
    assert "playwright-python" in names and "playwright" not in names


def test_environment_yml_installs_the_package_itself_through_pip():
    env = yaml.safe_load((config.PROJECT_DIR / "environment.yml").read_text(encoding="utf-8"))
    pip_sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict)]
    # Not editable: an editable install leaves out the kernel and template (data files).
    assert pip_sections == [["."]]


def _nbstripout(*arguments: str) -> subprocess.CompletedProcess:
    """nbstripout with the arguments of the pre-commit hook (one configuration for all)."""
    hooks = yaml.safe_load((config.PROJECT_DIR / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = next(h for repo in hooks["repos"] for h in repo["hooks"] if h["id"] == "nbstripout")
    command = [sys.executable, "-m", "nbstripout", *hook.get("args", []), *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def test_notebooks_are_committed_without_outputs():
    notebooks = sorted(str(p) for p in config.NOTEBOOKS_DIR.glob("*.ipynb"))
    assert len(notebooks) == 3  # the year report, the team overview and the exploration
    result = _nbstripout("--verify", *notebooks)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_outputs_check_fails_for_a_notebook_saved_after_run_all(tmp_path):
    executed = nbformat.read(config.YEAR_NOTEBOOK, as_version=4)
    cell = next(c for c in executed.cells if c.get("id") == "cijfers")
    cell.execution_count = 1
    executed.metadata.language_info = {"name": "python", "version": "3.11.7", "mimetype": "text/x-python"}
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "1"}, execution_count=1)]
    path = tmp_path / "jaarverslag.ipynb"
    nbformat.write(executed, path)
    assert _nbstripout("--verify", str(path)).returncode != 0
    _nbstripout(str(path))  # what the pre-commit hook does
    assert path.read_bytes() == config.YEAR_NOTEBOOK.read_bytes()


def test_readme_documents_every_narrative_placeholder():
    from klachtlib.presentation.text import PLACEHOLDERS

    readme = (config.PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    assert [name for name in PLACEHOLDERS if f"`{{{{ {name} }}}}`" not in readme] == []


def test_readme_quick_start_is_exactly_make_report_and_make_test():
    readme = (config.PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Snel aan de slag", 1)[1].split("```")[1]
    assert quick_start.split() == ["make", "report", "make", "test"]


def _locked() -> dict[str, str]:
    lines = (config.PROJECT_DIR / "requirements.lock").read_text(encoding="utf-8").splitlines()
    pairs = (line.split("==") for line in lines if line and not line.startswith("#"))
    return {name.lower().replace("_", "-"): version for name, version in pairs}


def test_the_lock_file_pins_every_declared_dependency_within_its_range():
    from packaging.requirements import Requirement

    project = PYPROJECT["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    locked = _locked()
    outside = [
        r for r in map(Requirement, declared)
        if r.name.lower() not in locked or locked[r.name.lower()] not in r.specifier
    ]  # fmt: skip
    assert outside == []


def test_the_makefile_installs_with_the_lock_file():
    makefile = (config.PROJECT_DIR / "Makefile").read_text(encoding="utf-8")
    assert "-c requirements.lock -e '.[dev]'" in makefile


def test_the_year_notebook_shows_report_sections_in_the_one_list_of_them():
    from klachtlib.presentation.report import SECTIONS

    notebook = nbformat.read(config.YEAR_NOTEBOOK, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code" and c.id != "parameters"]
    assert [c.id for c in code] == [cell for cell, _ in SECTIONS]
    for cell, (_, method) in zip(code, SECTIONS, strict=True):
        # The downloads: links on the published page only (in JupyterLab they would answer 404).
        shown = "report.downloads" if method == "downloads_html" else f"HTML(report.{method}())"
        assert shown in cell.source, cell.id
    headings = [c for c in notebook.cells if c.cell_type == "markdown" and c.id.startswith("kop-")]
    assert [c.id for c in headings] == [f"kop-{cell}" for cell, _ in SECTIONS[1:]]
    assert all("analist" in c.metadata.get("tags", []) for c in headings)


def test_seaborn_is_declared_for_the_analysts_charts_and_pinned():
    declared = dict(_split(r) for r in PYPROJECT["project"]["dependencies"])
    assert "seaborn" in declared and "seaborn" in _locked()
