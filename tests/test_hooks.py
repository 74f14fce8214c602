"""The pre-generation hook through plain cookiecutter: bad values stop generation and leave nothing."""

import pytest
from cookiecutter.exceptions import FailedHookException

from helpers import bake

BAD_VALUES = {
    # An empty name once derived an empty slug, and cookiecutter stopped before the hook ran.
    "project_name": ("", "project_name '' has no letters or digits to name the project after"),
    "function_name": ("f" * 65, "function_name is 65 characters long: Lambda allows at most 64."),
    "memory_size": ("127", "memory_size '127' must be a whole number of MB from 128 to 10240."),
    "timeout": ("0", "timeout '0' must be a whole number of seconds from 1 to 900."),
    "aws_region": ("US-EAST-1", "aws_region 'US-EAST-1' is not a Region name"),
    "ecr_repository": ("-repo", "ecr_repository '-repo' breaks ECR naming rules"),
    "project_slug": ("has space", "project_slug 'has space' is not a valid directory name"),
    "description": ("two\nlines", "description spans several lines: give it on one line."),
}


@pytest.mark.parametrize("key", BAD_VALUES)
def test_hook_rejects_a_bad_value_and_leaves_no_directory(tmp_path, capfd, key):
    value, message = BAD_VALUES[key]
    with pytest.raises(FailedHookException):
        bake(tmp_path, **{key: value})
    assert list(tmp_path.iterdir()) == []
    assert message in capfd.readouterr().err


def test_hook_reports_every_problem_one_line_each(cookies, capfd):
    result = cookies.bake(extra_context={"memory_size": "1", "timeout": "1000", "aws_region": "nowhere"})
    assert result.exit_code != 0
    lines = [line for line in capfd.readouterr().err.splitlines() if line.startswith("lambda-container:")]
    assert len(lines) == 3


def test_hook_accepts_the_boundaries(cookies):
    result = cookies.bake(
        extra_context={
            "memory_size": "10240",
            "timeout": "900",
            "function_name": "f" * 64,
            "aws_region": "us-gov-west-1",
        }
    )
    assert result.exit_code == 0
