"""Container mode's edit-to-answer on the stand-in base images (containerproof/): what `make dev` would cost
there. After a one-line edit of the handler, the project's own scripts/build-image.sh rebuilds the image (the
build cache keeps every layer before the code) and the project's harness answers every event in the container."""

import shutil
import time
from pathlib import Path

from bench.measure import GREETING, Summary, handler_source, summary
from bench.specs import RuntimeUnavailable
from containerproof import proof, standins


def edit_to_answer(project: Path, runs: int, rie: str, base_image: str) -> dict[str, Summary]:
    """Seconds to rebuild the image after an edit, and to answer every event from it, per run."""
    if not shutil.which("buildah"):
        raise RuntimeUnavailable("buildah is not installed")
    settings = proof.harness(project).SETTINGS
    needed = standins.standable(settings["runtime"], base_image)
    if needed is None:
        raise RuntimeUnavailable(f"no stand-in base images for {settings['runtime']} ({base_image})")
    for image in needed:
        standins.ensure(image, rie)
    tag = f"bench/{project.name}:latest"
    if proof.build(project, tag).returncode != 0:  # the first build fills the layer cache, untimed
        raise RuntimeUnavailable("the image did not build on the stand-ins")
    source = handler_source(project)
    original = source.read_text()
    builds, answers = [], []
    try:
        for index in range(runs):
            word = "Hallo" if index % 2 == 0 else "Hello"
            source.write_text(GREETING.sub(rf"\g<1>{word}, ", original))
            started = time.perf_counter()
            if proof.build(project, tag).returncode != 0:
                raise RuntimeUnavailable("the edited project's image did not build")
            built = time.perf_counter()
            passed, failed = proof.answer_events(project, tag, rie)
            builds.append(built - started)
            answers.append(time.perf_counter() - built)
            # The events expect "Hello": the image runs the edit only if "Hallo" fails them and "Hello" passes.
            if (failed == 0) != (word == "Hello") or passed + failed == 0:
                raise RuntimeUnavailable(f"the rebuilt image did not answer with the edit ({passed} passed)")
    finally:
        source.write_text(original)
    return {"rebuild_s": summary(builds), "events_s": summary(answers)}
