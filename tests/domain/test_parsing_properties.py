"""Request parsing, for any input: a spec within every documented bound, or one
``InvalidRequest`` that says why; never another exception. Specs survive a round trip."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from songgate.domain.fetch import FetchQuery, parse_fetch
from songgate.domain.listing import MAX_LIMIT, PARAMETERS, Cursor, ListQuery, parse_list_query
from songgate.domain.models import MODEL_VERSIONS
from songgate.domain.status import Action, TaskStatus
from songgate.domain.submit import (
    ID_MAX_LENGTH,
    LYRICS_PROMPT_MAX,
    LyricsSpec,
    MusicSpec,
    parse_lyrics,
    parse_music,
)
from songgate.errors import InvalidRequest

# Characters where parsing has edges: Python whitespace outside ASCII, NUL, a lone
# surrogate, letters that upper-case onto ASCII ones, and plain text.
EDGY = st.sampled_from(["a", " ", "\u3000", "\x1c", "\ufeff", "\x00", "\ud800", "\u017f", "é"])
LENGTHS = st.sampled_from([0, 1, 80, 81, 100, 101, 200, 201, 500, 501, 2048, 2049, 3000, 3001,
                           5000, 5001])
long_texts = st.builds(lambda ch, n, tail: ch * n + tail, EDGY, LENGTHS, st.text(max_size=3))
texts = st.text(max_size=20) | long_texts
scalars = (st.none() | st.booleans() | st.integers()
           | st.floats(allow_nan=False, allow_infinity=False) | texts)
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
numbers = (st.sampled_from([-1, 0, 0.5, 10, 120, 120.5, 240, 241, 480, 481, True])
           | st.floats(allow_nan=True) | st.integers())
# URL-like text: a scheme, then characters that mean something to a URL parser
url_texts = st.builds(
    lambda scheme, rest: scheme + rest,
    st.sampled_from(["http://", "https://", "HTTP://", "ftp://", "http:", "//", "", " http://"]),
    st.text(alphabet="a1.:/?#@[]%\\ \t\x01\u3000", max_size=12))
hooks = url_texts | texts

MUSIC_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "prompt": texts, "gpt_description_prompt": texts, "tags": texts, "negative_tags": texts,
    "title": texts, "continue_clip_id": texts, "task_id": json_values,
    "mv": st.sampled_from([*MODEL_VERSIONS, "", None, "chirp-v9", 4]),
    "make_instrumental": st.sampled_from([None, True, False, 1, "true"]),
    "continue_at": st.none() | numbers, "notify_hook": st.none() | hooks,
    "infill_start_s": st.none() | numbers, "infill_end_s": st.none() | numbers,
    "task": st.sampled_from(["cover", "extend", "", None, 3, "x" * 33]),
    "cover_clip_id": texts,
}


def one_field_changed(
    body: dict[str, Any], fields: dict[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[dict[str, Any]]:
    """A body that parses with one field drawn anew: reaches the checks made last."""
    return st.sampled_from(sorted(fields)).flatmap(
        lambda name: fields[name].map(lambda value: {**body, name: value}))


music_bodies = (st.fixed_dictionaries({}, optional=MUSIC_FIELDS)
                | one_field_changed({"prompt": "la la", "tags": "pop"}, MUSIC_FIELDS)
                | json_values)
lyrics_bodies = st.fixed_dictionaries(
    {}, optional={"prompt": st.none() | texts | scalars, "notify_hook": st.none() | hooks}
) | json_values
MAX_IDS = 4
ids = st.text(max_size=3) | st.sampled_from(["x" * 64, "x" * 65, "a\x00", "\ud800", "ü"])
fetch_bodies = st.fixed_dictionaries({}, optional={
    "ids": st.lists(ids | scalars, max_size=MAX_IDS + 2) | scalars,
    "action": st.sampled_from(["MUSIC", "lyrics", "Music", "mu\u017fic", "", None, "VIDEO", 1]),
}) | json_values


def refused_with_a_reason(exc: InvalidRequest) -> None:
    assert exc.status == 400 and exc.message.strip(), exc


def plain_text(*values: str) -> bool:
    return all("\x00" not in v and not any(0xD800 <= ord(c) <= 0xDFFF for c in v)
               for v in values)


@settings(max_examples=400, deadline=None)
@given(body=music_bodies)
def test_music_specs_respect_the_model_limits(body: Any) -> None:
    try:
        spec = parse_music(body)
    except InvalidRequest as exc:
        refused_with_a_reason(exc)
        return
    model = MODEL_VERSIONS[spec.mv]
    assert len(spec.prompt) <= model.prompt_max and len(spec.tags) <= model.tags_max
    assert len(spec.negative_tags) <= model.negative_tags_max
    assert len(spec.title) <= model.title_max
    assert len(spec.gpt_description_prompt) <= model.description_max
    assert len(spec.continue_clip_id) <= ID_MAX_LENGTH
    assert plain_text(spec.prompt, spec.tags, spec.negative_tags, spec.title,
                      spec.gpt_description_prompt, spec.continue_clip_id, spec.notify_hook)
    lyrics, description = spec.prompt.strip(), spec.gpt_description_prompt.strip()
    assert not (lyrics and description)
    assert lyrics or description or (spec.make_instrumental and spec.tags.strip()) \
        or spec.cover_clip_id  # a cover may sing its song's words
    assert len(spec.cover_clip_id) <= ID_MAX_LENGTH and spec.cover_clip_id == \
        spec.cover_clip_id.strip()
    assert (spec.continue_at is None) == (spec.continue_clip_id == "")
    if spec.continue_at is not None:
        assert 0 <= spec.continue_at <= model.max_duration_seconds
    assert spec.notify_hook == "" or spec.notify_hook.lower().startswith(("http://", "https://"))
    assert parse_music(spec.to_json()) == spec
    assert MusicSpec.from_json(spec.to_json()) == spec


@settings(max_examples=300, deadline=None)
@given(hook=st.none() | hooks | scalars)
def test_a_hook_is_an_http_url_or_nothing(hook: Any) -> None:
    for parse, body in ((parse_music, {"prompt": "la"}), (parse_lyrics, {"prompt": "rain"})):
        try:
            spec = parse({**body, "notify_hook": hook})
        except InvalidRequest as exc:
            refused_with_a_reason(exc)
            continue
        url = spec.notify_hook
        assert url == url.strip() and not any(ch.isspace() for ch in url)
        if url:
            parts = urlsplit(url)
            assert parts.scheme in ("http", "https") and parts.netloc, url


@settings(max_examples=200, deadline=None)
@given(body=lyrics_bodies)
def test_lyrics_specs_have_a_bounded_prompt(body: Any) -> None:
    try:
        spec = parse_lyrics(body)
    except InvalidRequest as exc:
        refused_with_a_reason(exc)
        return
    assert spec.prompt.strip() and len(spec.prompt) <= LYRICS_PROMPT_MAX
    assert plain_text(spec.prompt, spec.notify_hook)
    assert parse_lyrics(spec.to_json()) == spec == LyricsSpec.from_json(spec.to_json())


@settings(max_examples=300, deadline=None)
@given(body=fetch_bodies)
def test_fetch_queries_keep_order_and_bounds(body: Any) -> None:
    try:
        query = parse_fetch(body, max_ids=MAX_IDS)
    except InvalidRequest as exc:
        refused_with_a_reason(exc)
        return
    assert query.ids == tuple(dict.fromkeys(body["ids"]))
    assert len(query.ids) <= MAX_IDS
    assert all(len(i) <= ID_MAX_LENGTH and plain_text(i) for i in query.ids)
    given_action = body.get("action")
    assert query.action is (Action(given_action.upper()) if given_action else None)
    again = {"ids": list(query.ids), "action": query.action and query.action.value}
    assert parse_fetch(again, max_ids=MAX_IDS) == query


def status_lists() -> st.SearchStrategy[str]:
    names = st.sampled_from([*(s.value for s in TaskStatus), "success", "Failure", "\u017fuccess",
                             "DONE", "", " ", "\u3000"])
    return st.lists(names, max_size=4).map(",".join)


cursors = st.builds(lambda t, i: Cursor(t, i).encode(),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=5))
param_values = (status_lists() | cursors | texts
                | st.sampled_from(["1", "20", "100", "101", "0", "007", "0000007", "-1", "1.5",
                                   "\u0661", "MUSIC", "lyrics", "mu\u017fic"]))
params = st.lists(st.tuples(st.sampled_from([*PARAMETERS, "page", "Status"]), param_values),
                  max_size=4)


def as_params(query: ListQuery) -> list[tuple[str, str]]:
    given: list[tuple[str, str]] = [("limit", str(query.limit))]
    if query.statuses:
        given.append(("status", ",".join(sorted(query.statuses))))
    if query.action:
        given.append(("action", query.action.value))
    if query.before:
        given.append(("before", query.before.encode()))
    return given


@settings(max_examples=400, deadline=None)
@given(given_params=params)
def test_list_queries_are_bounded_and_round_trip(given_params: list[tuple[str, str]]) -> None:
    try:
        query = parse_list_query(given_params)
    except InvalidRequest as exc:
        refused_with_a_reason(exc)
        return
    names = dict(given_params)
    assert set(names) <= set(PARAMETERS) and len(names) == len(given_params)
    items = [item.strip() for item in names.get("status", "").split(",") if item.strip()]
    assert all(item.isascii() for item in items)
    assert query.statuses == {TaskStatus(item.upper()) for item in items}
    action = names.get("action", "")
    assert query.action is (Action(action.upper()) if action else None) and action.isascii()
    assert 1 <= query.limit <= MAX_LIMIT
    if query.before is not None:
        assert len(query.before.task_id) <= ID_MAX_LENGTH
    assert parse_list_query(as_params(query)) == query


@given(submit_time=st.floats(allow_nan=False, allow_infinity=False),
       task_id=st.text(alphabet=st.characters(max_codepoint=127, exclude_characters="\x00"),
                       max_size=ID_MAX_LENGTH))
def test_any_page_end_is_a_cursor_that_comes_back_exactly(submit_time: float, task_id: str) -> None:
    cursor = Cursor(submit_time, task_id)
    assert parse_list_query([("before", cursor.encode())]).before == cursor


@given(text=st.text(max_size=8)
       | st.sampled_from(["music", "LYRICS", "MuSiC", "mu\u017fic", "lyr\u0131cs"]))
def test_action_names_match_in_ascii_case_only(text: str) -> None:
    expected = text.upper() if text.isascii() and text.upper() in ("MUSIC", "LYRICS") else None
    assert Action.parse(text) == (Action(expected) if expected else None)
    try:
        query = parse_fetch({"ids": [], "action": text}, max_ids=1)
    except InvalidRequest:
        assert expected is None and text != ""
    else:
        assert query == FetchQuery(ids=(), action=Action(expected) if expected else None)
