"""Generate a project with cookiecutter's API, all or nothing."""

import shutil
import tempfile
from pathlib import Path

from cookiecutter.main import cookiecutter

from lambda_container import template
from lambda_container.template import Answers


class TargetExists(FileExistsError):
    """The project directory exists and --force was not given."""


def generate(answers: Answers, output_dir: Path | str, force: bool = False) -> Path:
    """Render into a scratch directory beside the target, then move it into place.

    An interruption or a failing hook leaves nothing at the target; --force replaces an existing project.
    """
    output_dir = Path(output_dir).resolve()
    target = output_dir / str(answers["project_slug"])
    if target.exists() and not force:
        raise TargetExists(f"{target} already exists: choose another directory or pass --force to replace it")
    created_output_dir = not output_dir.exists()
    output_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".lambda-container-", dir=output_dir))
    try:
        extra = {key: str(value) if not isinstance(value, bool) else value for key, value in answers.items()}
        rendered = Path(
            cookiecutter(str(template.template_dir()), no_input=True, extra_context=extra, output_dir=str(scratch))
        )
        if target.exists():
            shutil.rmtree(target)
        rendered.rename(target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if created_output_dir and not any(output_dir.iterdir()):
            output_dir.rmdir()
    return target
