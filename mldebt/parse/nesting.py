"""How deep libcst's parser may recurse on a source that CPython rejects, told from its tokens.

libcst parses in native code that recurses once per level of nesting and, out of C stack,
crashes the whole process (SIGSEGV: there is no exception to catch). On the 8 MiB stack of a
main thread it crashes from about 1,000 nested brackets or f-strings, 3,500 nested lambdas or
8,000 `not`s. For a source CPython parses, ``positions.ast_view`` measures its tree. A source
CPython rejects (a Python 2 print statement, syntax newer than this Python) has no tree, but
its tokens bound the depth: each level of nesting is opened by a token of its own, and the
tokens of siblings (the elements of a list, between commas) do not add up.
"""

from __future__ import annotations

import io
import keyword
import re
import tokenize

# A bracket costs libcst's parser about four times the stack of an operator (see above).
_BRACKET = 4
# Tokenizers before Python 3.12 hand over an f-string as one STRING token; its replacement
# fields are code, split here into the parts a tokenizer would make of them.
_FIELD_PART = re.compile(r"\{\{|\}\}|[{}(\[]|\w+|[^\w\s]")
_OPENING = frozenset("([{")
_CLOSING = frozenset(")]}")
# Python 3.12+ tokenizes f-strings (3.14+ t-strings too): their start and end enclose the
# replacement fields as brackets do, and their literal parts separate them as commas do.
_STRING_STARTS = frozenset(getattr(tokenize, n) for n in ("FSTRING_START", "TSTRING_START") if hasattr(tokenize, n))
_STRING_PARTS = frozenset(getattr(tokenize, n) for n in ("FSTRING_MIDDLE", "TSTRING_MIDDLE") if hasattr(tokenize, n))
_STRING_ENDS = frozenset(getattr(tokenize, n) for n in ("FSTRING_END", "TSTRING_END") if hasattr(tokenize, n))


def nesting_bound(source: str) -> int | None:
    """An upper bound on how deeply libcst would nest parsing ``source``, in the levels of
    ``positions.AstView.depth``; None when the tokenizer stops before the end, leaving the
    rest unknown."""
    # Per open bracket (the first entry is the statement): the weight of the tokens since its
    # last comma, and whether a lambda is among them, whose parameters' commas separate no
    # siblings (`lambda a, b: lambda c, d: ...` nests at every lambda).
    frames = [0]
    lambdas = [False]
    total = indent = deepest = 0
    previous: tokenize.TokenInfo | None = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            kind, text = token.type, token.string
            weight = 0
            if (kind == tokenize.OP and text in _OPENING) or kind in _STRING_STARTS:
                frames[-1] += _BRACKET
                total += _BRACKET
                frames.append(0)
                lambdas.append(False)
            elif (kind == tokenize.OP and text in _CLOSING) or kind in _STRING_ENDS:
                if len(frames) > 1:
                    total -= frames.pop()
                    lambdas.pop()
            elif (kind == tokenize.OP and text == "," and not lambdas[-1]) or kind in _STRING_PARTS:
                total -= frames[-1]
                frames[-1] = 0
            elif kind == tokenize.NEWLINE or (kind == tokenize.OP and text == ";" and len(frames) == 1):
                frames, lambdas, total = [0], [False], 0
            elif kind == tokenize.INDENT:
                indent += 1
            elif kind == tokenize.DEDENT:
                indent = max(indent - 1, 0)
            elif kind == tokenize.NAME:
                weight = 1 if keyword.iskeyword(text) else 0
                lambdas[-1] = lambdas[-1] or text == "lambda"
            elif kind == tokenize.STRING:
                weight = _string_weight(token, previous)
            elif kind not in (tokenize.NUMBER, tokenize.NL, tokenize.COMMENT, tokenize.ENDMARKER):
                weight = 1  # operators, and tokens the tokenizer could not make
            frames[-1] += weight
            total += weight
            deepest = max(deepest, total + indent * _BRACKET)
            previous = token
    except tokenize.TokenError as exc:
        # Before Python 3.12 the tokenizer stops only at the end, with a string or a bracket
        # still open; later ones also stop at the first token they cannot make.
        if not str(exc.args[0]).startswith("EOF in multi-line"):
            return None
    except SyntaxError:  # IndentationError: a dedent to no enclosing level
        return None
    return deepest


def _string_weight(token: tokenize.TokenInfo, previous: tokenize.TokenInfo | None) -> int:
    """A string literal is one token; an f-string (or a t-string, whose `t` older tokenizers
    read as a name of its own) nests as deep as its deepest replacement field."""
    text = token.string
    prefix = text[: min(i for i in (text.find("'"), text.find('"'), len(text)) if i >= 0)].lower()
    template_name = (
        previous is not None
        and previous.type == tokenize.NAME
        and previous.end == token.start
        and "t" in previous.string.lower()
        and set(previous.string.lower()) <= {"r", "t"}
    )
    if "f" not in prefix and "t" not in prefix and not template_name:
        return 1
    deepest = field = depth = 0
    for part in _FIELD_PART.findall(text):
        if depth == 0 and part in ("{{", "}}"):
            continue  # an escaped brace in the literal text
        opened = part.count("{") - part.count("}")
        if opened:
            depth = max(depth + opened, 0)
            field += _BRACKET * max(opened, 0)
        elif depth:
            field += _BRACKET if part in _OPENING else 1
        deepest = max(deepest, field)
        if depth == 0:
            field = 0
    return 1 + deepest
