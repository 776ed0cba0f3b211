"""A Pygments lexer for `.lode` code: notebooks and nbconvert colour cells with it."""

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Text, Whitespace


class LodeLexer(RegexLexer):
    """Lodestone's scripting language (Docs/Language.md)."""

    name = "Lode"
    aliases = ["lode"]
    filenames = ["*.lode"]
    mimetypes = ["text/x-lode"]

    tokens = {
        "root": [
            (r"\s+", Whitespace),
            (r"#.*$", Comment.Single),
            (r'"(\\\\|\\"|[^"])*"', String.Double),
            (r"'(\\\\|\\'|[^'])*'", String.Single),
            (r"(fn)(\s+)([A-Za-z_]\w*)", bygroups(Keyword, Text, Name.Function)),
            (words(("let", "fn", "return", "if", "else", "for", "in", "while", "break", "continue", "step"), suffix=r"\b"), Keyword),
            (words(("and", "or", "not"), suffix=r"\b"), Operator.Word),
            (words(("true", "false", "none"), suffix=r"\b"), Keyword.Constant),
            (r"\d{4}-\d{2}\b", Number.Other),  # a month: 2026-03
            (r"\d[\d_]*(\.\d+)?([eE][+-]?\d+)?%?", Number),
            (r"[A-Za-z_]\w*(?=\s*:(?!:))", Name.Label),
            (r"[A-Za-z_]\w*(?=\s*\()", Name.Function),
            (r"[A-Za-z_]\w*", Name),
            (r"\.\.<?|[-+*/%^=<>!]=?", Operator),
            (r"[()\[\]{},.:;]", Punctuation),
        ]
    }
