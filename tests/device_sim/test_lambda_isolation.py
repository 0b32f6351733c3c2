"""Two skills whose requests run at once in one process must not see each other's Lambda environment."""

import os
import sys
import threading
import time
from pathlib import Path

from device_sim.lambda_runtime import LambdaEnvironment


def test_concurrent_skills_see_only_their_own_environment(tmp_path: Path) -> None:
    roots = {name: tmp_path / name for name in ("weather", "pets")}
    seen: dict[str, set[tuple[str, str, str]]] = {name: set() for name in roots}
    start = threading.Barrier(len(roots))

    def run(name: str) -> None:
        environment = LambdaEnvironment(task_root=roots[name], function_name=name)
        start.wait()
        for _ in range(20):
            with environment.active():
                time.sleep(0.002)  # another thread gets the chance to enter its own skill's environment
                seen[name].add((os.environ["AWS_LAMBDA_FUNCTION_NAME"], Path.cwd().name, Path(sys.path[0]).name))

    for root in roots.values():
        root.mkdir()
    threads = [threading.Thread(target=run, args=(name,)) for name in roots]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for name in roots:
        assert seen[name] == {(name, name, name)}
