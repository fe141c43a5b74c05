"""serve's watcher: a save is reported by the operating system and runs the rebuild
once; the output folder and hidden files (editors' swap files, our cache) never do."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from generator.watch import EventWatcher


def test_a_save_runs_the_rebuild_and_our_own_writes_do_not(tmp_path: Path):
    source = tmp_path / "src"
    source.mkdir()
    article = source / "a.txt"
    article.write_text("date 2018-07 Een.")
    out = source / "site"  # an output folder inside the source folder
    out.mkdir()
    rebuilds: list[int] = []
    reported: list[str] = []
    batches: list[frozenset[str] | None] = []
    watcher = EventWatcher(ignore=out)

    def rebuild() -> None:
        rebuilds.append(1)

    watcher.watch(str(source), rebuild)
    watcher.watch(str(tmp_path / "site.toml"), rebuild)  # not there: not watched

    async def scenario() -> None:
        seen = asyncio.Event()

        def callback() -> None:  # what livereload runs on its event loop
            path, _ = watcher.examine()
            if path:
                reported.append(path)
                batches.append(watcher.changed_paths)
                seen.set()

        watcher.start(callback)
        for attempt in range(20):  # until the watch is in place
            article.write_text(f"date 2018-07 Twee ({attempt}).")
            try:
                await asyncio.wait_for(seen.wait(), 0.5)
                break
            except TimeoutError:
                continue
        assert seen.is_set(), "a save was never reported"
        seen.clear()
        rebuilds.clear()
        (out / "index.html").write_text("written by a build")
        (source / ".a.txt.swp").write_text("an editor's swap file")
        (source / ".tijdlijn-cache").mkdir()
        (source / ".tijdlijn-cache" / "state.pickle").write_bytes(b"cache")
        await asyncio.sleep(0.6)
        assert not seen.is_set() and rebuilds == []
        article.write_text("date 2018-07 Drie.")
        await asyncio.wait_for(seen.wait(), 10)

    failures: list[BaseException] = []

    def run() -> None:  # in a thread of its own: the browser tests leave a loop running here
        try:
            asyncio.run(scenario())
        except BaseException as error:
            failures.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    watcher.stop.set()
    if failures:
        raise failures[0]
    assert rebuilds == [1]  # once, though the function is watched for two paths
    assert Path(reported[-1]).resolve() == article.resolve()
    # The first batch may miss saves made before the watch was in place; later ones do not.
    assert batches[0] is None
    last = batches[-1]
    assert last is not None and {Path(p).resolve() for p in last} == {article.resolve()}
