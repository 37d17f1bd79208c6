"""Hybrid retrieval: Chroma dense search + BM25, fused by a convex mix of scaled scores."""

from __future__ import annotations

import bisect
import math
import re
import threading
from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np

from assistant.answer import Citation
from assistant.audience import AUDIENCE_CLASSES, Filters, visible
from assistant.query import (
    ACRONYM,
    QUESTION_WORDS,
    Query,
    fold,
    kind_apart,
    name_phrase,
    name_words,
    understand,
)
from assistant.selection import CHAIRED, MOVER, read_intent, records_outcome
from ingest.chunk import Chunk, question_label
from ingest.dates import MONTH
from ingest.embed import Embedder
from ingest.lexical_index import Column, LexicalIndex, encode_columns
from ingest.settings import Settings
from ingest.store import Store
from ingest.templates import load_templates
from ingest.tokens import STOPWORDS, coverage, tokenize

FEEDBACK_POOL = 2000  # rows the moved query re-ranks: its best ones are among them
DATED_WEIGHT = 0.5  # the rankings within the months or years a question names, fused in
BODY_WEIGHT = 0.5  # the rankings within the bodies a question names, fused in
NAMED_WEIGHT = 0.5  # the rankings within the passages holding a name the question gives
VOTE_WEIGHT = 0.5  # the ranking within the recorded votes, when a vote's outcome is asked
NAMED_SHARE = 0.02  # a name more passages hold than this share (or NAMED_FEWEST) does not
NAMED_FEWEST = 25  # narrow the search ("County Limerick" in Limerick's records)
OWN_SHARE = 0.1  # a name more passages hold than this is the index's own ("Herefordshire")
NAMING_SHARE = 0.9  # a word more records name than this names no record apart ("Council")
# Capitalised words that name no record apart: months, days, and words a question opens
# its clauses with.
UNNAMING = re.compile(
    rf"{MONTH}|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|I|The|What|Who|When|Where|Which|"
    r"Why|How"
)
RRF_K = 60  # reciprocal rank fusion's constant; also the scale of the score boosts below
# A passage with fewer index terms of its own than THIN_TERMS ("X", "Number: 3", "(Pages 27 -
# 36)": a form's label, a table's cell, an agenda's page reference) matches a question only
# through the title and heading embedded with it; its fused score is scaled by THIN_WEIGHT.
THIN_TERMS = 3
THIN_WEIGHT = 0.5
# The lexical ranking's best rows are re-scored by how many of the question's adjacent term
# pairs they hold side by side ("revenue amendments", "overall budget"): BM25 scores each word
# alone, and in a long paragraph the words of a phrase are diluted by the rest.
PAIR_WEIGHT = 0.25
PAIR_CACHE = 50_000  # rows whose term pairs are kept between searches


def _dated(query: Query, filters: Filters) -> Filters | None:
    """Return the filters narrowed to the months (or else years) the question names, within
    any dates already set; None when it names none or they do not meet."""
    if query.months:
        since = f"{min(query.months)}-01"
        until = f"{max(query.months)}-31"
    elif query.years:
        since, until = f"{min(query.years)}-01-01", f"{max(query.years)}-12-31"
    else:
        return None
    since, until = max(since, filters.since), min(until, filters.until or until)
    return replace(filters, since=since, until=until) if since <= until else None


BODY_COMMON = 0.3  # a word in more than this share of the bodies' names does not name one


def _body_words(bodies: list[str]) -> dict[str, tuple[list[str], set[str]]]:
    """Return each body's name as compared (its words) and the words that set it apart from
    the others' (those in few of the index's body names: not "limerick", "district" or
    "committee" where many bodies' names have them)."""
    named = {b: name_words(b) for b in bodies if b}
    counts = Counter(w for words in named.values() for w in set(words))
    most = max(1.0, BODY_COMMON * len(named))
    kinds = load_templates().body_words  # "council", "committee": what kind of body, not which

    def rare(w: str) -> bool:
        return counts[w] <= most and w.isalpha() and w not in STOPWORDS and not kinds.search(w)

    return {b: (words, {w for w in words if rare(w)}) for b, words in named.items()}


def _names_body(asked: str, words: list[str], rare: set[str]) -> bool:
    """Whether a question (its compared words, spaced) names a body: two or more of its
    words in a row of which one sets it apart ("Newcastle West district", "the Home and
    Social Development SPC"; not "the council", which may mean the whole authority)."""
    for size in range(min(len(words), 6), 1, -1):
        for start in range(len(words) - size + 1):
            run = words[start : start + size]
            if rare & set(run) and f" {' '.join(run)} " in asked:
                return True
    return False


# A passage's item in its record: "minute 4" of "minute 4, para 2", "minute 285" of
# "minute 285(3)".
ITEM_OF = re.compile(r"^([^,(]*?\d+)")
OUTCOME_REACH = 12  # passages read on through an item for its outcome
MOTION_REACH = 3  # passages read after a motion for what became of it


# An acronym given in brackets after what it stands for ("Criminal Assets Bureau (CAB)").
DEFINED = re.compile(rf"\(({ACRONYM.pattern})\)")
JOINING = frozenset(["of", "and", "the", "for", "on", "in", "to", "&"])


def defined_acronyms(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Return the acronyms a text defines, each with the words it stands for: the words
    before the brackets whose initials spell it ("Joint Policing Committee (JPC)"), small
    joining words ("of", "and") passed over."""
    out = []
    for m in DEFINED.finditer(text):
        acronym = m.group(1)
        words = re.findall(r"[\w&'\u2019-]+", text[max(0, m.start() - 160) : m.start()])
        letters = list(acronym.lower())
        taken: list[str] = []
        while words and letters:
            word = words.pop()
            if word.lower() in JOINING and taken:
                taken.append(word)
                continue
            if word[0].lower() != letters[-1] or not word[0].isupper():
                break
            letters.pop()
            taken.append(word)
        if not letters:
            out.append((acronym, tuple(reversed(taken))))
    return out


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its scores, duplicates elsewhere, and its neighbours."""

    chunk: Chunk
    score: float
    dense: float = 0.0
    lexical: float = 0.0
    coverage: float = 0.0
    also_in: tuple[Chunk, ...] = ()
    before: tuple[Chunk, ...] = ()
    after: tuple[Chunk, ...] = ()
    referenced: bool = False
    outcome_of: str = ""  # the id of the item's passage whose outcome this passage records
    after_motion: str = ""  # the id of the motion this passage follows in its item

    def citation(self, n: int) -> Citation:
        """Return this hit cited as [n] (its whole chunk)."""
        return Citation.of(n, self.chunk, score=self.score, also_in=self.also_in)


# A word's verb or adverb form: the records may say it in other words ("criticised":
# "Disappointment was expressed with ..."), where a thing they name they name as asked.
# Words a question frames its subject with, not the subject ("a timeline of ...", "the
# latest on ...", "any news about ..."): a small index may use none of them.
FRAMING = frozenset(
    tokenize(
        "latest news update status situation progress position view stance thing anything "
        "something everything detail information info summary overview timeline history "
        "background reason outcome result answer response question record mention discussion "
        "debate item topic matter point plan change work"
    )
)
VERB_FORM = re.compile(
    r"(?:ed|ing|ly|ise|ize|ises|izes)$|^(?:done|made|taken|given|seen|known|written|said|told|"
    r"paid|sent|built|held|met|brought|kept|left|spent|won|shown|chosen|drawn|begun|gone)$"
)


@dataclass
class Retrieval:
    """What a search returned, with the query as understood and its vector."""

    query: Query
    hits: list[Hit]
    vector: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    unseen: float = 0.0  # share of the question's subject words no record uses
    missing: float = 0.0  # the rarest subject word the best passages lack, as a share of IDF
    own: frozenset[str] = frozenset()  # the question's names the index's own (its council)
    unused: tuple[str, ...] = ()  # the question's common nouns no record uses ("helipad")
    # the question's capitalised words ("Limerick", "Kent") and own names, each with the
    # records naming it, where some records do and others do not
    named_records: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def relevance(self) -> float:
        """Return how well the best hits answer the query (0..1), for abstention."""
        if not self.hits:
            return 0.0
        return max(relevance_of(h) for h in self.hits[:3])


def relevance_of(hit: Hit) -> float:
    """Return one hit's relevance: its meaning similarity and its share of the query's terms."""
    if hit.referenced:
        return 1.0
    return 0.65 * hit.dense + 0.35 * hit.coverage


class Retriever:
    """Searches one store; keeps its chunks and lexical index in memory, reloading on change."""

    def __init__(
        self,
        store: Store,
        embedder: Embedder,
        *,
        load: bool = True,
        feedback: float = Settings.model_fields["feedback"].default,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self._lock = threading.Lock()
        self.generation = -1
        self.chunks: list[Chunk] = []
        self.by_id: dict[str, int] = {}
        self.lexical = LexicalIndex(None, [])
        self.lexical_rows: np.ndarray = np.zeros(0, dtype=np.int64)
        self.idf: dict[str, float] = {}
        self.vocabulary: list[str] = []
        self.naming: dict[str, frozenset[str]] = {}  # a name: the records naming it (cache)
        self.record_count = 0
        self.max_idf = 1.0
        self._vector_cache: dict[str, np.ndarray] = {}
        self.class_counts: dict[str, int] = {}
        self.speakers: dict[str, list[int]] = {}  # a folded name word -> rows it spoke
        self.matrix: np.ndarray | None = None  # every chunk's vector, row for row (mmap)
        self.columns: dict[str, Column] = {}  # chunk fields the filters read, as codes
        self.fusion = "convex"
        self.dense_weight = 0.5
        # The query vector moved toward the mean of its first three results, by this weight
        # (dense pseudo-relevance feedback; Settings.feedback): see docs/benchmarks.md.
        self.feedback = feedback
        self.chair_mark = load_templates().chair_mark
        self.motion_mark = load_templates().motion_phrase
        self.acronyms: dict[str, tuple[str, ...]] = {}
        self.title_words = frozenset(tokenize(" ".join(load_templates().person_titles)))
        self.feedback_docs = 3
        self.body_words: dict[str, tuple[list[str], set[str]]] = {}
        self._last_scores: tuple[tuple[str, ...], LexicalIndex, np.ndarray] | None = None
        self._thin_rows: dict[int, bool] = {}  # computed for the rows searches reach
        self._pairs: dict[int, set[tuple[str, str]]] = {}  # each row's adjacent term pairs
        self.vote_rows = np.zeros(0, dtype=np.int64)  # the recorded votes' rows
        if load:  # else the first search loads (an app renders its page meanwhile)
            self.refresh()

    def refresh(self) -> None:
        """Reload chunks and the lexical index if the store changed since the last load."""
        with self._lock:
            generation = self.store.generation()
            if generation == self.generation:
                return
            snapshot = self.store.chunks_snapshot()
            chunks = snapshot or self.store.chunks()
            matrix = self.store.vector_matrix() if snapshot else None
            self.matrix = matrix if matrix is not None and len(matrix) == len(chunks) else None
            columns = self.store.snapshot_columns() if snapshot else None
            self.columns = columns or encode_columns(chunks)
            by_id = {c.id: i for i, c in enumerate(chunks)}
            try:
                lexical = self.store.load_lexical(repair=False)
            except (OSError, ValueError):  # the writer is swapping it in: keep the last one
                lexical = self.lexical
            if lexical.index is None and chunks:
                # No saved index (a reader of a folder no ingest finished): build it here.
                lexical = LexicalIndex.build([(c.id, c.text, c.to_metadata()) for c in chunks])
            rows = np.array([by_id.get(i, -1) for i in lexical.ids], dtype=np.int64)
            doc_freq = lexical.doc_freq
            if not doc_freq:  # an index saved before term counts were kept
                for c in chunks:
                    for t in set(tokenize(c.text)):
                        doc_freq[t] = doc_freq.get(t, 0) + 1
            n = max(len(chunks), 1)
            self.idf = {t: math.log(1 + (n - df + 0.5) / (df + 0.5)) for t, df in doc_freq.items()}
            self.max_idf = max(self.idf.values(), default=1.0)
            self.vocabulary = sorted(self.idf)  # for the terms a word's stem begins
            self.naming.clear()
            self.record_count = len({c.doc_id for c in chunks})
            self.chunks, self.by_id, self.lexical, self.lexical_rows = chunks, by_id, lexical, rows
            self.class_counts = dict(Counter(c.classification for c in chunks))
            self.body_words = _body_words([str(b) for b in self.columns["body"][0]])
            speakers: dict[str, list[int]] = {}
            votes: list[int] = []
            defined: dict[str, Counter[tuple[str, ...]]] = {}
            for i, c in enumerate(chunks):
                if c.kind == "vote":
                    votes.append(i)
                if "(" in c.text:
                    for acronym, long in defined_acronyms(c.text):
                        stems, key = tuple(tokenize(" ".join(long))), tokenize(acronym)
                        if len(stems) > 1 and len(key) == 1:
                            defined.setdefault(key[0], Counter())[stems] += 1
                for word in set(re.findall(r"\w+", fold(c.speaker))) if c.speaker else ():
                    speakers.setdefault(word, []).append(i)
            self.speakers = speakers
            # What the records' own acronyms stand for, by their commonest spelling out:
            # a question may use either ("CAB" / "the Criminal Assets Bureau").
            self.acronyms = {a: longs.most_common(1)[0][0] for a, longs in defined.items()}
            self.vote_rows = np.array(votes, dtype=np.int64)
            self._thin_rows, self._pairs = {}, {}
            self.generation = generation

    def encode_cached(self, texts: list[str]) -> np.ndarray:
        """Return vectors for texts, reusing those computed before (sentences recur)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._vector_cache]
        if missing:
            if len(self._vector_cache) > 50_000:
                self._vector_cache.clear()
            for text, vec in zip(missing, self.embedder.encode(missing), strict=True):
                self._vector_cache[text] = vec
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._vector_cache[t] for t in texts])

    # --- pieces of a search ---------------------------------------------------------------
    def coverage(self, tokens: tuple[str, ...] | list[str], text: str) -> float:
        """Return the IDF-weighted share of the query's terms that the text contains."""
        return coverage(tokens, text, self.idf, self.max_idf)

    def _bodied(self, query: Query, filters: Filters) -> Filters | None:
        """Return the filters narrowed to the bodies the question names (`_names_body`),
        within any dates named; None when it names none or all, or the caller already chose
        bodies."""
        if filters.bodies or not self.body_words:
            return None
        asked = f" {' '.join(name_words(query.original))} "
        named = tuple(b for b, (w, rare) in self.body_words.items() if _names_body(asked, w, rare))
        if not named or len(named) == len(self.body_words):
            return None
        dated = _dated(query, filters)
        return replace(dated or filters, bodies=named)

    def _add_within(
        self,
        fused: dict[int, float],
        vector: np.ndarray,
        query: Query,
        filters: Filters,
        pool: int,
        weight: float,
        among: np.ndarray | None = None,
    ) -> list[int]:
        """Add to `fused`, at `weight`, the fused dense and lexical rankings of the rows the
        filters keep (of the rows `among`, if given); return those rows, best first."""
        within = self._fuse(
            self._dense_ranking(vector, filters, pool, among),
            self._lexical_ranking(query, filters, pool, among),
        )
        for row, score in within.items():
            fused[row] = fused.get(row, 0.0) + weight * score
        return sorted(within, key=lambda r: -within[r])

    def _bm25(self, tokens: tuple[str, ...]) -> np.ndarray:
        """Return every row's BM25 score for the tokens; the last question's are kept, as its
        rankings within dates, bodies and names score the same words again."""
        last = self._last_scores
        if last is not None and last[0] == tokens and last[1] is self.lexical:
            return last[2]
        scores = np.asarray(self.lexical.scores(list(tokens)), dtype=np.float32)
        scores.flags.writeable = False
        self._last_scores = (tokens, self.lexical, scores)
        return scores

    def _naming(self, query: Query, filters: Filters) -> list[np.ndarray]:
        """Return, for each proper name the question gives, the rows whose passage holds every
        word of it (read from the lexical index: a word's BM25 score is above 0 where it is)."""
        if self.lexical.index is None or not len(self.lexical_rows):
            return []
        out = []
        for name in query.names:
            rows = self.lexical_rows[self._holding(name)]
            rows = rows[rows >= 0]
            if 0 < len(rows) <= max(NAMED_SHARE * len(self.chunks), NAMED_FEWEST):
                out.append(rows)  # a name that narrows: not "County Council" in a council's
        return out

    def _holding(self, name: str) -> np.ndarray:
        """Return which rows of the lexical index hold every term of a name (its BM25 score is
        above 0 where it is); none when a term is in no passage, or the name has none."""
        words = list(dict.fromkeys(tokenize(name)))
        held = np.full(len(self.lexical_rows), bool(words))
        if any(t not in self.idf for t in words):
            held[:] = False  # a word no passage holds: no passage names it
        for word in words if held.any() else ():
            held &= np.asarray(self.lexical.scores([word])) > 0
        return held

    def _named_records(self, query: Query, own: frozenset[str]) -> dict[str, frozenset[str]]:
        """Return the question's capitalised words past its first and the index's own names
        it gives, each with the records a passage of which holds it, where fewer than
        NAMING_SHARE of the records do: a record answering the question names them somewhere
        ("What did Limerick decide about the Devolution Priority Programme?" is not
        answered from Kent's records in an index of both councils')."""
        if self.lexical.index is None or not len(self.lexical_rows):
            return {}
        title = load_templates().person_title
        words = [
            w
            for w in re.findall(r"(?<=\s)[A-Z][a-z][\w'’-]*", query.original)
            if not UNNAMING.fullmatch(w) and not title.match(w + " ")
        ]
        out = {}
        # an own name as the question writes it ("limerick city": "Limerick City")
        written = [
            m.group() if (m := re.search(r"\W+".join(run.split()), query.original, re.I)) else run
            for run in own
        ]
        for name in dict.fromkeys([*written, *(re.sub(r"['’]s$", "", w) for w in words)]):
            if not tokenize(name):
                continue
            if name not in self.naming:
                rows = self.lexical_rows[self._holding(name)]
                self.naming[name] = frozenset(self.chunks[int(row)].doc_id for row in rows)
            naming = self.naming[name]
            if naming and len(naming) < NAMING_SHARE * self.record_count:
                out[name] = naming
        return out

    def _own_names(self, query: Query) -> frozenset[str]:
        """Return the question's names, and runs of its longer names (split at acronyms and
        kinds of body, as `kind_apart` does), that more than OWN_SHARE of the passages hold:
        the index's own council ("Herefordshire" of "Herefordshire Cabinet"), which its
        passages need not repeat. Folded as `name_words` folds them."""
        if self.lexical.index is None or not len(self.lexical_rows):
            return frozenset()
        runs = [run for name in query.names for run in kind_apart(name_phrase(name))]
        runs += [name_words(name) for name in query.single_names]
        most = max(OWN_SHARE * len(self.chunks), NAMED_FEWEST)
        return frozenset(
            " ".join(run) for run in runs if int(self._holding(" ".join(run)).sum()) > most
        )

    def _lexical_ranking(
        self, query: Query, filters: Filters, pool: int, among: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        if self.lexical.index is None or not query.tokens:
            return []
        scores = self._bm25(query.tokens)
        if among is not None and len(self.lexical_rows):
            keep = np.isin(self.lexical_rows, among)
            scores = np.where(keep, scores, 0.0)
        if filters.narrowing and self.columns and len(self.lexical_rows):
            # A narrow filter (one month) may keep none of the best few hundred: score only
            # the rows it keeps.
            rows = self.lexical_rows
            keep = np.zeros(len(rows), dtype=bool)
            known = rows >= 0
            keep[known] = self._mask(filters)[rows[known]]
            scores = np.where(keep, scores, 0.0)
        top = min(len(scores), pool * 4)
        head = (
            np.argpartition(-scores, top - 1)[:top] if top < len(scores) else np.arange(len(scores))
        )
        order = head[np.argsort(-scores[head])]
        out: list[tuple[int, float]] = []
        for pos in order:
            if scores[pos] <= 0 or len(out) >= 2 * pool:
                break
            row = int(self.lexical_rows[pos])
            if row >= 0 and filters.allows(self.chunks[row]):
                out.append((row, float(scores[pos])))
        return self._by_pairs(query.tokens, out)[:pool]

    def _by_pairs(
        self, tokens: tuple[str, ...], ranking: list[tuple[int, float]]
    ) -> list[tuple[int, float]]:
        """Return a lexical ranking re-scored by the share of the question's adjacent term
        pairs each row holds side by side (PAIR_WEIGHT)."""
        pairs = set(zip(tokens, tokens[1:], strict=False))
        if not pairs or not PAIR_WEIGHT:
            return ranking
        if len(self._pairs) > PAIR_CACHE:
            self._pairs = {}
        scored = []
        for row, score in ranking:
            held = self._pairs.get(row)
            if held is None:
                held = self._read_terms(row)[1]
            scored.append((row, score * (1 + PAIR_WEIGHT * len(pairs & held) / len(pairs))))
        return sorted(scored, key=lambda rs: -rs[1])

    def _mask(self, filters: Filters) -> np.ndarray:
        """Return which rows pass the filters: each test is made once per distinct value
        (a body, a date) and read out to the rows through their codes."""

        def rows(name: str, keep: np.ndarray) -> np.ndarray:
            return keep[self.columns[name][1]]

        classes = self.columns["classification"][0]
        mask = rows(
            "classification", np.isin(classes, AUDIENCE_CLASSES.get(filters.audience, ("Open",)))
        )
        for name, wanted in (
            ("body", filters.bodies),
            ("doc_type", filters.doc_types),
            ("doc_id", filters.doc_ids),
        ):
            if wanted:
                mask &= rows(name, np.isin(self.columns[name][0], list(wanted)))
        dates = self.columns["meeting_date"][0]
        if filters.since:
            mask &= rows("meeting_date", (dates != "") & (dates >= filters.since))
        if filters.until:
            mask &= rows("meeting_date", (dates != "") & (dates <= filters.until))
        return mask

    def _dense_ranking(
        self, vector: np.ndarray, filters: Filters, pool: int, among: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Return the pool rows most similar to the vector (of the rows `among`, if given)."""
        if self.matrix is not None:
            # Every vector in one memory-mapped matrix: an exact search over the rows the
            # filters keep (about 12 ms at 100k chunks), narrowing filters included.
            rows = np.arange(len(self.matrix)) if among is None else among
            sims = np.asarray(
                (self.matrix if among is None else self.matrix[among]) @ vector, dtype=np.float32
            )
            sims[~self._mask(filters)[rows]] = -np.inf
            top = min(pool, len(sims))
            head = np.argpartition(-sims, top - 1)[:top] if top < len(sims) else np.arange(top)
            order = head[np.argsort(-sims[head])]
            return [(int(rows[i]), float(sims[i])) for i in order if sims[i] > -1]
        # Chroma pre-filters on metadata before its vector search, which is slow on a large
        # collection when the filter keeps nearly everything. The audience filter alone is
        # applied here instead, over a slightly larger pool; narrowing filters go to Chroma.
        where = filters.where() if filters.narrowing else None
        n = pool if filters.narrowing else pool + min(pool, self.hidden_count(filters))
        out = []
        for chunk_id, sim in self.store.dense_query(vector, n, where):
            row = self.by_id.get(chunk_id)
            if row is not None and filters.allows(self.chunks[row]):
                out.append((row, sim))
        return out[:pool]

    def hidden_count(self, filters: Filters) -> int:
        """Return how many chunks the caller's audience may not see."""
        return sum(n for cls, n in self.class_counts.items() if not visible(cls, filters.audience))

    def _referenced(self, query: Query, filters: Filters) -> list[int]:
        """Return rows whose locator the question names ("PQ 3" -> "PQ 3 question", ...)."""
        if not query.locators:
            return []
        rows = []
        for i, c in enumerate(self.chunks):
            if not filters.allows(c):
                continue
            for ref in query.locators:
                if c.locator == ref or re.match(
                    rf"^(minute \d+, )?{re.escape(ref)}(\b|[ ,(])", c.locator
                ):
                    rows.append(i)
                    break
        return rows

    def _spoken_by(self, query: Query, filters: Filters) -> list[int]:
        """Return rows whose speaker (a question's questioner) is a person the question names."""
        rows: list[int] = []
        for name in query.people:
            rows.extend(r for r in self.speakers.get(name, ()) if filters.allows(self.chunks[r]))
        return list(dict.fromkeys(rows))

    # --- search ---------------------------------------------------------------------------
    def search(
        self,
        question: str | Query,
        *,
        filters: Filters | None = None,
        k: int = 5,
        pool: int = 50,
        history: list[dict[str, str]] | None = None,
        mode: str = "hybrid",
    ) -> Retrieval:
        """Return the k best chunks for a question, fused from dense and lexical rankings
        (mode "dense" or "lexical" uses one ranking alone, for comparison)."""
        self.refresh()
        filters = filters or Filters()
        query = question if isinstance(question, Query) else understand(question, history)
        intent = read_intent(query.text)
        vector = self.embedder.encode([query.text])[0]
        # The feedback pass below re-ranks only the first pass's best FEEDBACK_POOL rows.
        first_pool = FEEDBACK_POOL if self.feedback and self.matrix is not None else pool
        dense = self._dense_ranking(vector, filters, first_pool) if mode != "lexical" else []
        candidates = np.array([r for r, _ in dense], dtype=np.int64)
        dense = dense[:pool]
        spelled = replace(query, tokens=query.tokens + self._spelled(query))
        lexical = self._lexical_ranking(spelled, filters, pool) if mode != "dense" else []
        matrix = self.matrix
        moved_query = bool(self.feedback and matrix is not None and dense)
        if moved_query and matrix is not None:
            # The query moved toward its best passages (Rocchio): it then reaches paragraphs
            # that say the same thing in the records' own words rather than the question's.
            scores = self._fuse(dense, lexical)
            top = sorted(scores, key=lambda r: -scores[r])[: self.feedback_docs]
            moved = vector + self.feedback * matrix[top].mean(axis=0)
            dense = self._dense_ranking(moved / np.linalg.norm(moved), filters, pool, candidates)
        referenced = self._referenced(query, filters)
        ref_rows = set(referenced)
        fused = self._fuse(dense, lexical)
        votes: list[int] = []  # the recorded votes, best first, when how one went is asked
        if mode == "hybrid" and self.matrix is not None:
            # Rankings of their own, fused in: the months or years the question names ("in
            # February 2024"), the bodies it names ("the Home and Social Development SPC") and
            # the proper names it gives ("Approved Housing Body"). At archive scale the right
            # meeting's passages may be in neither pool above.
            dated, bodied = _dated(query, filters), self._bodied(query, filters)
            if dated is not None:
                self._add_within(fused, vector, query, dated, pool, DATED_WEIGHT)
            if bodied is not None:
                self._add_within(fused, vector, query, bodied, pool, BODY_WEIGHT)
            for rows in self._naming(query, filters):
                self._add_within(fused, vector, query, filters, pool, NAMED_WEIGHT, rows)
            if len(self.vote_rows) and intent.vote:
                # "Was the amendment carried?": the recorded votes, a ranking of their own whose
                # best two always reach the answerer (a vote is mostly members' names, so it
                # ranks low among paragraphs).
                votes = self._add_within(
                    fused, vector, query, filters, pool, VOTE_WEIGHT, self.vote_rows
                )
        for rank, row in enumerate(referenced[:20]):
            fused[row] = fused.get(row, 0.0) + 2.0 / (RRF_K + rank + 1)
        # What a named person asked: their questions first, ordered by the rankings above.
        spoken = self._spoken_by(query, filters)
        if len(spoken) <= 200:
            # "What did Councillor Sheahan say about GSOC?": by how much of the subject they
            # hold, or all of them when only the person is asked about ("What did Ms
            # Gallagher ask?"). A member asks about many things.
            subject = [
                t
                for t in dict.fromkeys(query.tokens)
                if len(t) > 1
                and t not in QUESTION_WORDS
                and t not in self.speakers
                and t not in self.title_words
            ]
            for row in spoken:
                share = self.coverage(subject, self.chunks[row].text) if subject else 1.0
                fused[row] = fused.get(row, 0.0) + share / (RRF_K + 1)
        if intent.kind == "mover":
            # "Who proposed ...?": the passages that name a proposer or seconder.
            for row in fused:
                if MOVER.search(self.chunks[row].text):
                    fused[row] += 1.0 / (RRF_K + 1)
        counts = intent.fact_pattern() if intent.kind == "count" and intent.counted else None
        if counts is not None:
            # "How many key areas ...?": the passages that count them ("Nine key areas"),
            # which share few words with the question beside the many that discuss them.
            for row in fused:
                if counts.search(self.chunks[row].text):
                    fused[row] += 1.0 / (RRF_K + 1)
        if query.years or query.months:
            for row in fused:
                date = self.chunks[row].meeting_date
                if query.names_date(date):
                    fused[row] += 0.5 / (RRF_K + 1)
                text = self.chunks[row].text
                if any(str(y) in text for y in query.years):
                    fused[row] += 0.5 / (RRF_K + 1)  # the year the question asks about
        # The answerer reads each passage's similarity to the question, not to the moved query.
        dense_sim: dict[int, float] = {} if moved_query else dict(dense)
        missing = [row for row in fused if row not in dense_sim]
        if missing and self.matrix is not None:
            for row, sim in zip(missing, self.matrix[missing] @ vector, strict=True):
                dense_sim[row] = float(sim)
        elif missing:
            stored = self.store.vectors([self.chunks[r].id for r in missing])
            for row in missing:
                vec = stored.get(self.chunks[row].id)
                dense_sim[row] = float(vec @ vector) if vec is not None else 0.0
        lexical_score = dict(lexical)
        for row in fused:
            if row not in ref_rows and self._thin(row):
                fused[row] *= THIN_WEIGHT
        ordered = sorted(fused, key=lambda r: -fused[r])
        # Each ranking's own best two always reach the answerer: a table row that only BM25
        # finds (a name, a figure) must not be buried by fusion.
        must = [r for r, _ in lexical[:2] + dense[:2] if not self._thin(r)] + votes[:2]
        head = ordered[:k]
        ordered = head + [r for r in dict.fromkeys(must) if r not in head] + ordered[k:]
        limit = k + len([r for r in dict.fromkeys(must) if r not in head])
        hits: list[Hit] = []
        seen_text: dict[str, int] = {}
        for row in ordered:
            chunk = self.chunks[row]
            key = " ".join(chunk.text.lower().split())
            if key in seen_text:  # the same paragraph quoted in two records: shown once
                first = hits[seen_text[key]]
                hits[seen_text[key]] = Hit(**{**first.__dict__, "also_in": (*first.also_in, chunk)})
                continue
            seen_text[key] = len(hits)
            before, after = self.neighbours(row, filters=filters)
            hits.append(
                Hit(
                    chunk=chunk,
                    score=fused[row],
                    dense=dense_sim.get(row, 0.0),
                    lexical=lexical_score.get(row, 0.0),
                    coverage=self.coverage(query.tokens, f"{chunk.locator} {chunk.text}"),
                    before=before,
                    after=after,
                    referenced=row in ref_rows,
                )
            )
            if len(hits) >= limit:
                break
        hits.extend(self._answers_to(hits, query, vector, filters))
        if intent.reply or not intent.asked:
            hits = self._after_motions(hits, k, query, vector, filters)
        if intent.decision:
            hits = self._with_outcomes(hits, query, vector, filters)
        if CHAIRED.search(query.original):
            hits.extend(self._openings_of(hits, query, vector, filters))
        unseen, lacking = self._absent(query, hits)
        return Retrieval(
            query=query,
            hits=hits,
            vector=vector,
            unseen=unseen,
            missing=lacking,
            own=(own := self._own_names(query)),
            unused=self._unused(query),
            named_records=self._named_records(query, own),
        )

    def _spelled(self, query: Query) -> tuple[str, ...]:
        """Return the other spelling of the acronyms the question uses or spells out, as the
        records define them ("CAB" for "Criminal Assets Bureau", and the reverse)."""
        tokens = query.tokens
        extra: list[str] = []
        for acronym, long in self.acronyms.items():
            n = len(long)
            if acronym in tokens:
                extra.extend(t for t in long if t not in tokens)
            elif n > 1 and any(tokens[i : i + n] == long for i in range(len(tokens) - n + 1)):
                extra.append(acronym)
        return tuple(dict.fromkeys(extra))

    def _thin(self, row: int) -> bool:
        """Whether a passage has too few index terms of its own to answer anything."""
        thin = self._thin_rows.get(row)
        if thin is None:
            thin = self._read_terms(row)[0]
        return thin

    def _read_terms(self, row: int) -> tuple[bool, set[tuple[str, str]]]:
        """Tokenize a passage once for both caches: whether it is thin, its term pairs."""
        if len(self._pairs) > PAIR_CACHE:
            self._pairs = {}
        terms = tokenize(self.chunks[row].text)
        self._thin_rows[row] = thin = len(set(terms)) < THIN_TERMS
        self._pairs[row] = pairs = set(zip(terms, terms[1:], strict=False))
        return thin, pairs

    def _fuse(
        self, dense: list[tuple[int, float]], lexical: list[tuple[int, float]]
    ) -> dict[int, float]:
        """Return the rows of both rankings with their fused scores."""
        fused: dict[int, float] = {}
        if self.fusion == "rrf":
            for ranking in (dense, lexical):
                for rank, (row, _) in enumerate(ranking):
                    fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank + 1)
        else:
            # Convex fusion of scores scaled to the best of each ranking: a chunk that one
            # ranking puts first is not buried because the other ranking missed it.
            for ranking, weight in ((dense, self.dense_weight), (lexical, 1 - self.dense_weight)):
                top = max((sc for _, sc in ranking), default=0.0)
                floor = min((sc for _, sc in ranking), default=0.0)
                for row, sc in ranking:
                    scaled = (sc - floor) / (top - floor) if top > floor else 1.0
                    fused[row] = fused.get(row, 0.0) + weight * scaled / RRF_K
        return fused

    def _absent(self, query: Query, hits: list[Hit]) -> tuple[float, float]:
        """Return the share of the question's subject words that no record uses, and the
        IDF of the rarest one the best five passages lack (0-1): signs the records do not
        cover the question."""
        words = [t for t in dict.fromkeys(query.tokens) if t not in QUESTION_WORDS]
        if not words or not self.idf:
            return 0.0, 0.0
        unseen = sum(t not in self.idf for t in words) / len(words)
        present = {t for h in hits[:5] for t in tokenize(f"{h.chunk.section} {h.chunk.text}")}
        top = self.max_idf
        missing = max(
            (self.idf[t] / top for t in words if t in self.idf and t not in present), default=0.0
        )
        return unseen, missing

    def _unused(self, query: Query) -> tuple[str, ...]:
        """Return the question's words, as written, that name a thing no record of the index
        names ("Where will the new hospital helipad be built?"): a lower-case word (a name
        is the name checks'), of four letters or more, not a verb's or an adverb's form
        ("criticised", "resigned", "hourly": the records say it in other words) nor a word
        framing the subject ("the latest on"), none of whose index terms any passage holds
        in any form."""
        if not self.idf:
            return ()
        out = []
        for word in dict.fromkeys(re.findall(r"(?<![\w'’-])[a-z][a-z'’-]{3,}", query.original)):
            if VERB_FORM.search(word):
                continue
            terms = [t for t in tokenize(word) if t not in QUESTION_WORDS and t not in FRAMING]
            if terms and not any(self._used(t) for t in terms):
                out.append(word)
        return tuple(out)

    def _used(self, term: str) -> bool:
        """Whether a passage holds a term, or one its stem begins: the records write the
        word in another form ("nominate": "nominated", "nomination"; "sites": "site")."""
        if term in self.idf:
            return True
        stem = term[: max(4, len(term) - 2)]
        at = bisect.bisect_left(self.vocabulary, stem)
        return at < len(self.vocabulary) and self.vocabulary[at].startswith(stem)

    def _answers_to(
        self, hits: list[Hit], query: Query, vector: np.ndarray, filters: Filters
    ) -> list[Hit]:
        """Return the council's responses to questions that were hit but whose answer was not:
        a question is read with its response, as an officer would."""
        have = {h.chunk.id for h in hits}
        extra: list[Hit] = []
        for hit in hits:
            c = hit.chunk
            if c.kind not in ("question", "supplementary"):
                continue
            number = question_label(c.locator)
            row = self.by_id[c.id] + 1
            while row < len(self.chunks) and self.chunks[row].doc_id == c.doc_id:
                nxt = self.chunks[row]
                if not nxt.locator.startswith(number + " ") or nxt.kind in (
                    "question",
                    "supplementary",
                ):
                    break
                if nxt.id not in have and filters.allows(nxt):
                    have.add(nxt.id)
                    extra.append(self._follower(row, hit, query, vector, filters))
                    break
                row += 1
        return extra[:3]

    def _after_motions(
        self, hits: list[Hit], k: int, query: Query, vector: np.ndarray, filters: Filters
    ) -> list[Hit]:
        """Return the hits with, for the best k that quote a member's motion in its own words
        ("I will move at the next Meeting that ..."), the passages after it in its item up to
        the next motion (MOTION_REACH at most) marked as following it, and added after the
        hits when they were not among them: the proposer's case, the reply ("In a written
        response, the Director advised ..."), what became of it ("the Chair deferred this
        Motion"). Asked what was said or done about a motion, the minutes answer after it,
        in words the motion does not use."""
        have = {h.chunk.id: i for i, h in enumerate(hits)}
        hits = list(hits)
        added: set[str] = set()
        extra: list[Hit] = []
        for hit in hits[:k]:
            c = hit.chunk
            if c.doc_type != "minutes" or not self.motion_mark.search(c.text):
                continue
            item = ITEM_OF.match(c.locator)
            row = self.by_id[c.id] + 1
            for at in range(row, min(row + MOTION_REACH, len(self.chunks))):
                nxt = self.chunks[at]
                part = ITEM_OF.match(nxt.locator)
                if nxt.doc_id != c.doc_id or self.motion_mark.search(nxt.text):
                    break
                if (part.group(1) if part else "") != (item.group(1) if item else ""):
                    break  # the next item
                if nxt.id in have:
                    found = hits[have[nxt.id]]
                    if not found.after_motion:
                        hits[have[nxt.id]] = replace(found, after_motion=c.id)
                elif nxt.id not in added and filters.allows(nxt) and len(extra) < MOTION_REACH:
                    added.add(nxt.id)
                    follower = self._follower(at, hit, query, vector, filters)
                    extra.append(replace(follower, after_motion=c.id))
        return hits + extra

    def _with_outcomes(
        self, hits: list[Hit], query: Query, vector: np.ndarray, filters: Filters
    ) -> list[Hit]:
        """Return the hits with, for minutes' items whose opening or a proposal in them ("15)
        Mr Streatfeild proposed ... the following amendment") was hit, the passage further in
        the item that records what was done ("... it was agreed to defer this item",
        "Amendment carried."), marked as its outcome (added after the hits when it was not
        among them): asked what was decided or what happened, an item is read to its
        decision, as a clerk would. An outcome rarely repeats the words of the question."""
        have = {h.chunk.id: i for i, h in enumerate(hits)}
        hits = list(hits)
        done: set[tuple[str, str]] = set()
        added: set[str] = set()
        extra: list[Hit] = []
        for hit in hits:
            c = hit.chunk
            item = ITEM_OF.match(c.locator)
            if c.doc_type != "minutes" or not item or records_outcome(c):
                continue
            if c.locator.strip() != item.group(1) and not MOVER.search(c.text):
                continue  # neither the item's opening nor a proposal put to the meeting
            key = (c.doc_id, item.group(1))
            if key in done:
                continue
            done.add(key)
            row = self.by_id[c.id] + 1
            for at in range(row, min(row + OUTCOME_REACH, len(self.chunks))):
                nxt = self.chunks[at]
                part = ITEM_OF.match(nxt.locator)  # "recommendation (1)": a part of the item
                if nxt.doc_id != c.doc_id or (part and part.group(1) != item.group(1)):
                    break  # the next item
                if records_outcome(nxt) and filters.allows(nxt):
                    if nxt.id in have:
                        found = hits[have[nxt.id]]
                        if not found.outcome_of:
                            hits[have[nxt.id]] = replace(found, outcome_of=c.id)
                    elif len(extra) < 3 and nxt.id not in added:
                        added.add(nxt.id)
                        outcome = self._follower(at, hit, query, vector, filters)
                        extra.append(replace(outcome, outcome_of=c.id))
                    break
        return hits + extra

    def _openings_of(
        self, hits: list[Hit], query: Query, vector: np.ndarray, filters: Filters
    ) -> list[Hit]:
        """Return the passages of the best three minutes' openings that say who chaired
        ("IN THE CHAIR:", "(Chairman)"), in words no question about the business uses."""
        have = {h.chunk.id for h in hits}
        docs = list(dict.fromkeys(h.chunk.doc_id for h in hits if h.chunk.doc_type == "minutes"))
        extra: list[Hit] = []
        for hit in hits:
            if hit.chunk.doc_id not in docs[:3]:
                continue
            row = self.by_id[hit.chunk.id]
            while row > 0 and self.chunks[row - 1].doc_id == hit.chunk.doc_id:
                row -= 1
            for at in range(row, min(row + 3, len(self.chunks))):  # the opening's passages
                first = self.chunks[at]
                if first.doc_id != hit.chunk.doc_id or first.id in have:
                    continue
                if not (filters.allows(first) and self.chair_mark.search(first.text)):
                    continue
                have.add(first.id)
                extra.append(self._follower(at, hit, query, vector, filters))
        return extra

    def _follower(
        self, row: int, hit: Hit, query: Query, vector: np.ndarray, filters: Filters
    ) -> Hit:
        """Return the chunk at `row` as a hit that follows `hit` (a question's reply, a
        meeting's opening): just under it, with its own similarity and neighbours."""
        chunk = self.chunks[row]
        stored = (
            self.matrix[row]
            if self.matrix is not None
            else self.store.vectors([chunk.id]).get(chunk.id)
        )
        before, after = self.neighbours(row, filters=filters)
        return Hit(
            chunk=chunk,
            score=hit.score * 0.9,
            dense=float(stored @ vector) if stored is not None else 0.0,
            coverage=self.coverage(query.tokens, chunk.text),
            before=before,
            after=after,
        )

    def neighbours(
        self, row: int, n: int = 1, filters: Filters | None = None
    ) -> tuple[tuple[Chunk, ...], tuple[Chunk, ...]]:
        """Return the chunks just before and after a chunk in its record that the caller may
        see (an exempt neighbour is left out, never shown as context)."""
        chunk = self.chunks[row]
        allowed = filters or Filters(audience="public")

        def keep(c: Chunk) -> bool:
            return c.doc_id == chunk.doc_id and visible(c.classification, allowed.audience)

        before = tuple(c for c in self.chunks[max(0, row - n) : row] if keep(c))
        after = tuple(c for c in self.chunks[row + 1 : row + 1 + n] if keep(c))
        return before, after
