"""web.app.PageCache: readers at once share one reading of the mark and one rendering."""

from __future__ import annotations

import asyncio

from aiohttp import web

from web.app import Mark, PageCache


async def test_fifty_readers_at_once_cost_one_mark_and_one_rendering() -> None:
    cache = PageCache()
    reads = renders = 0

    async def read() -> Mark:
        nonlocal reads
        reads += 1
        await asyncio.sleep(0)
        return (1, 1, 1)

    async def handler() -> web.StreamResponse:
        nonlocal renders
        renders += 1
        await asyncio.sleep(0)
        return web.Response(body=b"<p>strona</p>", content_type="text/html")

    async def reader() -> bytes:
        mark = await cache.mark(read)
        hit = cache.get(("h", "/", "pl"), mark)
        response = hit or await cache.render(("h", "/", "pl"), mark, handler)
        assert isinstance(response, web.Response)
        assert isinstance(response.body, bytes)
        return response.body

    bodies = await asyncio.gather(*(reader() for _ in range(50)))
    assert bodies == [b"<p>strona</p>"] * 50
    assert (reads, renders) == (1, 1)


async def test_an_answer_the_cache_does_not_keep_is_made_for_each_reader() -> None:
    cache = PageCache()
    renders = 0

    async def handler() -> web.StreamResponse:
        nonlocal renders
        renders += 1
        await asyncio.sleep(0)
        return web.Response(status=302, headers={"Location": "/"})

    responses = await asyncio.gather(
        *(cache.render(("h", "/x", "pl"), (1, 1, 1), handler) for _ in range(3))
    )
    assert len({id(r) for r in responses}) == 3  # one response object is sent only once
    assert renders == 3
