using System.Globalization;
using System.Text;

namespace HingeSharp.Cli.IO;

/// <summary>
/// A small parser for the Python literals a <c>.npy</c> header holds: a dict of string keys whose values are
/// strings, <c>True</c>/<c>False</c>/<c>None</c>, integers, and tuples or lists of those.
/// </summary>
internal ref struct PyLiteral
{
    private readonly ReadOnlySpan<char> _text;
    private int _pos;

    private PyLiteral(ReadOnlySpan<char> text)
    {
        _text = text;
        _pos = 0;
    }

    /// <summary>Parses a dict literal; trailing whitespace (numpy pads with spaces and a newline) is allowed.</summary>
    /// <exception cref="FormatException">The text is not such a dict.</exception>
    public static Dictionary<string, object?> ParseDict(string text)
    {
        var parser = new PyLiteral(text);
        parser.SkipSpace();
        if (parser.ParseValue() is not Dictionary<string, object?> dict)
        {
            throw new FormatException("expected a dict literal {...}");
        }

        parser.SkipSpace();
        if (parser._pos != parser._text.Length)
        {
            throw new FormatException($"unexpected '{parser._text[parser._pos]}' at character {parser._pos}");
        }

        return dict;
    }

    private object? ParseValue()
    {
        SkipSpace();
        if (_pos >= _text.Length)
        {
            throw new FormatException("unexpected end of header");
        }

        var c = _text[_pos];
        switch (c)
        {
            case '{':
                return ParseDictBody();
            case '(':
                return ParseSequence(')');
            case '[':
                return ParseSequence(']');
            case '\'' or '"':
                return ParseString();
            default:
                if (c == '-' || c == '+' || char.IsAsciiDigit(c))
                {
                    return ParseInteger();
                }

                var word = ParseWord();
                return word switch
                {
                    "True" => true,
                    "False" => false,
                    "None" => null,
                    _ => throw new FormatException($"unexpected '{word}' at character {_pos - word.Length}"),
                };
        }
    }

    private Dictionary<string, object?> ParseDictBody()
    {
        _pos++; // '{'
        var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (true)
        {
            SkipSpace();
            if (Peek() == '}')
            {
                _pos++;
                return dict;
            }

            if (ParseValue() is not string key)
            {
                throw new FormatException($"expected a string key at character {_pos}");
            }

            SkipSpace();
            Expect(':');
            dict[key] = ParseValue();
            SkipSpace();
            if (Peek() == ',')
            {
                _pos++;
            }
            else if (Peek() != '}')
            {
                throw new FormatException($"expected ',' or '}}' at character {_pos}");
            }
        }
    }

    private List<object?> ParseSequence(char close)
    {
        _pos++; // '(' or '['
        var items = new List<object?>();
        while (true)
        {
            SkipSpace();
            if (Peek() == close)
            {
                _pos++;
                return items;
            }

            items.Add(ParseValue());
            SkipSpace();
            if (Peek() == ',')
            {
                _pos++;
            }
            else if (Peek() != close)
            {
                throw new FormatException($"expected ',' or '{close}' at character {_pos}");
            }
        }
    }

    private string ParseString()
    {
        var quote = _text[_pos++];
        var sb = new StringBuilder();
        while (_pos < _text.Length && _text[_pos] != quote)
        {
            if (_text[_pos] == '\\' && _pos + 1 < _text.Length)
            {
                _pos++;
            }

            sb.Append(_text[_pos++]);
        }

        Expect(quote);
        return sb.ToString();
    }

    private long ParseInteger()
    {
        var start = _pos;
        if (_text[_pos] is '-' or '+')
        {
            _pos++;
        }

        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
        {
            _pos++;
        }

        var digits = _text[start.._pos];
        if (_pos < _text.Length && _text[_pos] is 'L' or 'l')
        {
            _pos++; // Python 2 long suffix, as in old headers: (3L,)
        }

        if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"bad integer '{digits}' at character {start}");
        }

        return value;
    }

    private string ParseWord()
    {
        var start = _pos;
        while (_pos < _text.Length && char.IsAsciiLetterOrDigit(_text[_pos]))
        {
            _pos++;
        }

        if (_pos == start)
        {
            throw new FormatException($"unexpected '{_text[_pos]}' at character {_pos}");
        }

        return _text[start.._pos].ToString();
    }

    private readonly char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private void Expect(char c)
    {
        if (Peek() != c)
        {
            throw new FormatException(_pos < _text.Length
                ? $"expected '{c}' at character {_pos}, found '{_text[_pos]}'"
                : $"expected '{c}' but the header ended");
        }

        _pos++;
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }
}
