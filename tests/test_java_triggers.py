"""Java, per trigger: one project each (java25, AWS base image, x86_64) whose JUnit tests pass on every sample event
of its trigger and whose packaged function answers every one of them under the real RIE with the Java runtime
interface client."""

import xml.etree.ElementTree as ET

import pytest
from test_java import JAVA_RUNTIMES, maven_repo, toolchain  # noqa: F401 (maven_repo is a fixture used here)

from helpers import CATALOGUE, CONFIG, bake, edited_copy, event_count, require_tool, run

RUNTIME = JAVA_RUNTIMES[0]
TRIGGERS = CONFIG["trigger"]
PARAMETERISED_CASE = "answersEachSampleEventAsExpected(String)["


@pytest.fixture(scope="module", params=TRIGGERS)
def trigger_project(request, tmp_path_factory, maven_repo):  # noqa: F811 (the fixture imported above)
    """A baked project of one trigger, with the environment that builds it offline and runs it on Java 25."""
    require_tool("make")
    jdk, java = toolchain(int(CATALOGUE[RUNTIME]["version"]))
    project = bake(
        tmp_path_factory.mktemp(f"java-{request.param}"),
        runtime=RUNTIME,
        trigger=request.param,
        base_image="aws",
        architecture="x86_64",
    )
    java_bin = java / "bin" / "java"
    mvn = f"mvn -o -Dmaven.repo.local={maven_repo} -Djvm={java_bin}"
    env = {"JAVA_HOME": str(jdk), "MVN": mvn, "LAMBDA_JAVA": str(java_bin)}
    return project, env


def handler_test_report(project):
    """(tests, failures, errors, sample events tested) of the generated HandlerTest's surefire report."""
    report = ET.parse(project / "target" / "surefire-reports" / "TEST-example.HandlerTest.xml").getroot()
    samples = [case for case in report.iter("testcase") if case.attrib["name"].startswith(PARAMETERISED_CASE)]
    counts = (int(report.attrib[name]) for name in ("tests", "failures", "errors"))
    return (*counts, len(samples))


@pytest.mark.slow
def test_unit_tests_answer_every_sample_event(trigger_project):
    project, env = trigger_project
    result = run(["make", "test"], project, env=env)
    assert result.returncode == 0
    tests, failures, errors, samples = handler_test_report(project)
    assert (failures, errors, samples) == (0, 0, event_count(project))
    assert tests > samples  # and the cases events cannot show


@pytest.mark.slow
def test_packaged_function_answers_every_event_under_the_rie(trigger_project, native_emulator_test):
    project, env = trigger_project
    result, passed, failed = native_emulator_test(project, env=env)
    assert (result.returncode, passed, failed) == (0, event_count(project), 0)


@pytest.mark.slow
@pytest.mark.parametrize("trigger_project", ["http"], indirect=True)  # the comparison is shared: one suffices
def test_a_wrong_expected_answer_fails_the_unit_tests(trigger_project, tmp_path):
    project, env = trigger_project
    broken = edited_copy(project, tmp_path / "broken", "events/rest-v1-post-hello.expected.json", "Grace", "Ada")
    result = run(["make", "test"], broken, env=env)
    assert result.returncode != 0
    _, failures, errors, _ = handler_test_report(broken)
    assert (failures, errors) == (1, 0)
    assert "Hello, Grace!" in result.stdout
