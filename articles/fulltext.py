"""Full-text matching of articles, the same to callers on both databases.

`Article.objects.published().matching(text)` is all a caller needs:

- PostgreSQL: a weighted `tsvector` (headline A, kicker and teaser B, body C)
  with the German snowball stemmer, which folds ä, ö and ü ("Munchen" finds
  "München"), after `unaccent` for other accents ("Cafe" finds "Café";
  configuration `german_unaccent`, migration 0037), matched by
  `websearch_to_tsquery` (quoted phrases, `-word`, `or`), ranked by
  `ts_rank`. Neither spells umlauts out: "Muenchen" does not find
  "München". The document is stored in
  `articles_article_search` (ArticleSearchDocument, migration 0017), written
  by a trigger when the text changes, with a GIN index. Its parser drops
  HTML tags with their attributes, so the body is indexed as it is stored.
  A live ticker's entries (titles and texts) count as body (migration 0035).
- SQLite: the FTS5 table `articles_article_fts` (migration 0014), kept in
  step by triggers, ranked by bm25 with the same column weights; a live
  ticker's body column holds its entries' words, too (migration 0035).
  Every term the reader types is quoted, so no input is FTS syntax; bare
  words match as prefixes ("Brück" finds "Brücke"), there is no German
  stemming; its tokenizer removes diacritics, so "Munchen" and "Cafe" match
  as well.

Both rank only the newest NEWSROOM_SEARCH_CANDIDATES matches (see
match_articles). The search page (articles/public/search.py) runs one
results page of such a match under a time limit.
"""

import re
from html import unescape
from html.parser import HTMLParser

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Func
from django.db.models.expressions import RawSQL

# German with unaccent (migration 0037); the stored documents use it too.
SEARCH_CONFIG = "german_unaccent"
# SQLite: the FTS5 table of migration 0014 (ArticleSearchEntry).
FTS_TABLE = "articles_article_fts"
# SQLite function the FTS triggers call to index the body without its tags.
PLAIN_TEXT_FUNCTION = "articles_plain_text"


def match_articles(articles, text: str, *, candidates: int):
    """`articles` that match the reader's `text`: the newest `candidates`
    matches, best match first.

    Ranking is the expensive part of a search: a common word matches half
    the archive, and ranking every match took seconds on 300,000 articles.
    So only the newest `candidates` matches are ranked. The database finds
    them either through the word index (rare words) or by walking the
    newest articles and checking each stored document (common words); both
    stop early. The search page says when the bound was reached.

    Apply every other filter to `articles` first: the result is a new
    queryset over the candidates' ids.
    """
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        matches = articles.filter(search_document__document=query)
        newest = matches.newest_first().values("pk")[:candidates]
        return (
            articles.model.objects.annotate(
                search_rank=SearchRank(F("search_document__document"), query)
            )
            .filter(pk__in=newest)
            .order_by("-search_rank", "-visible_from", "-pk")
        )
    match = fts_query(text)
    if not match:
        return articles.none()
    # SQLite cannot know how many articles a word is in, and would start
    # from the matches: look up every one (all 30,000 for a word in every
    # article) and sort them. Filtering only (`+`), it walks the newest
    # articles on an index instead and checks each against the matches'
    # ids, read once from the word index alone; a common word stops after
    # `candidates` steps, a rare one walks the index to its end, which
    # costs far less than the lookups would.
    matches = articles.alias(matched_pk=Unindexed(F("pk"))).filter(
        matched_pk__in=matching_rows(match)
    )
    newest = matches.newest_first().values("pk")[:candidates]
    # FTS5's rank exists only in a match; lower is better. The match is read
    # once more for it, and only its candidates go further: never through
    # `id` (ArticleSearchEntry.row), never looked up one by one (`+`
    # again), since FTS5 would start the whole match over for each lookup.
    return (
        articles.model.objects.filter(search_entry__document=match)
        .alias(entry_row=Unindexed(F("search_entry__row")))
        .filter(entry_row__in=newest)
        .order_by("search_entry__rank", "-visible_from", "-pk")
    )


class Unindexed(Func):
    """SQLite's `+column`: a term the planner may filter rows with, but
    never use to find them (no index, no virtual table lookup)."""

    template = "+%(expressions)s"


def matching_rows(match: str) -> RawSQL:
    """SQLite: the ids of the articles that match the FTS5 query `match`,
    read from the word index only (rowids, no content rows)."""
    return RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", (match,))


def filter_articles(articles, text: str):
    """`articles` that match `text`, unranked, in their own order (the
    admin's list): the same stored documents and word index as the search."""
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        return articles.filter(search_document__document=query)
    match = fts_query(text)
    if not match:
        return articles.none()
    return articles.filter(pk__in=matching_rows(match))


# A quoted phrase (closing quote optional) or a bare word, either with a
# leading "-" to exclude it.
TERM = re.compile(r'(?P<minus>-?)(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')


def fts_query(text: str) -> str:
    """An FTS5 query for `text` in which every term is a quoted string.

    Quoting makes FTS5 read operators, column names, brackets and stars as
    plain words, so no input is a syntax error. Bare words match as prefixes,
    phrases as typed; "-word" excludes. Empty when nothing is left to find.
    """
    wanted, unwanted = [], []
    for term in TERM.finditer(text):
        words = (term["phrase"] if term["phrase"] is not None else term["word"]).strip()
        if not words:
            continue
        quoted = '"{}"'.format(words.replace('"', '""'))
        if term["word"] is not None:
            quoted += "*"
        (unwanted if term["minus"] else wanted).append(quoted)
    if not wanted:
        return ""
    return "({})".format(" ".join(wanted)) + "".join(f" NOT {u}" for u in unwanted)


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


# The markup of a sanitised body (articles/sanitising.py writes nothing
# else): plain start and end tags, attribute values in double quotes.
SIMPLE_TAG = re.compile(
    r"""
    <(?:
        [a-zA-Z][a-zA-Z0-9]*                          # start tag: name,
        (?:[ \t\n\r\f]+[a-zA-Z][-a-zA-Z0-9_:.]*        # attributes,
           (?:[ \t\n\r\f]*=[ \t\n\r\f]*"[^"<]*")?
        )*
        [ \t\n\r\f]*/?
      | /[a-zA-Z][a-zA-Z0-9]*[ \t\n\r\f]*             # end tag
    )>
    """,
    re.VERBOSE,
)
# Elements whose content an HTML parser reads as text rather than markup.
RAW_TEXT_ELEMENT = re.compile(
    r"<(?:script|style|textarea|title|xmp|iframe|noembed|noframes|noscript"
    r"|plaintext)(?=[ \t\n\r\f/>])",
    re.IGNORECASE,
)


def plain_text(html: str | None) -> str:
    """The words of an HTML body: no tags or attributes, entities decoded.

    Each tag becomes a space, as PostgreSQL's parser treats one, so words in
    neighbouring paragraphs or list items stay apart.

    SQLite's search triggers call this for every article written, and a
    row is removed from the index only with the very words it was indexed
    with, so the result must never change: a sanitised body is split at its
    tags directly (six times faster than HTMLParser, the same result),
    anything else goes through HTMLParser.
    """
    if not html:
        return ""
    if not RAW_TEXT_ELEMENT.search(html):
        texts = [text for text in SIMPLE_TAG.split(html) if text]
        if not any("<" in text for text in texts):
            # No character reference reaches across a space: decoding the
            # joined text equals decoding each piece.
            return unescape(" ".join(texts))
    return parsed_text(html)


def parsed_text(html: str) -> str:
    """plain_text() of any HTML, as HTMLParser reads it."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return " ".join(collector.parts)


def register_sqlite_functions(sender, connection, **kwargs):
    """`connection_created` receiver: the FTS triggers call plain_text().

    SQLite knows Python functions only per connection, so each new one gets
    it; a connection without it (the sqlite3 shell) cannot change articles.
    """
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            PLAIN_TEXT_FUNCTION, 1, plain_text, deterministic=True
        )
