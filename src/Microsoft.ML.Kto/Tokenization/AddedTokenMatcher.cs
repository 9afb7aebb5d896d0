using System.Buffers;
using System.Text;
using Microsoft.ML.Kto.Tokenization.Patterns;

namespace Microsoft.ML.Kto.Tokenization;

/// <summary>A stretch of text that is either one added token or ordinary text (<see cref="Token"/> null).</summary>
internal readonly record struct AddedTokenSplit(int Start, int End, AddedToken? Token);

/// <summary>
/// Finds added tokens in text with HF's rules (<c>AddedVocabulary::find_matches</c>): leftmost-longest
/// non-overlapping matches, then the <c>single_word</c>, <c>lstrip</c> and <c>rstrip</c> adjustments.
/// </summary>
internal sealed class AddedTokenMatcher
{
    private readonly TrieNode _root = new();
    private readonly SearchValues<char> _firstChars;

    /// <param name="patterns">The text to look for, with the token it stands for.</param>
    public AddedTokenMatcher(IEnumerable<(string Pattern, AddedToken Token)> patterns)
    {
        var first = new HashSet<char>();
        foreach (var (pattern, token) in patterns.Where(p => p.Pattern.Length > 0))
        {
            first.Add(pattern[0]);
            var node = _root;
            foreach (var c in pattern)
            {
                node = node.Child(c);
            }

            node.Token ??= token;
        }

        _firstChars = SearchValues.Create([.. first]);
    }

    /// <summary>Appends splits covering all of <paramref name="text"/> (nothing for empty text).</summary>
    public void Split(ReadOnlySpan<char> text, List<AddedTokenSplit> splits)
    {
        var covered = 0;
        var searchFrom = 0;
        while (FindLeftmostLongest(text, searchFrom, out var start, out var end, out var token))
        {
            searchFrom = end;
            if (token.SingleWord && !IsStandaloneWord(text, start, end))
            {
                continue;
            }

            if (token.LStrip)
            {
                // Whitespace already consumed by the previous token's rstrip stays with it.
                start = Math.Max(covered, text[..start].TrimEnd().Length);
            }

            if (token.RStrip)
            {
                end = text.Length - text[end..].TrimStart().Length;
                searchFrom = end;
            }

            if (start > covered)
            {
                splits.Add(new AddedTokenSplit(covered, start, null));
            }

            splits.Add(new AddedTokenSplit(start, end, token));
            covered = end;
        }

        if (covered < text.Length)
        {
            splits.Add(new AddedTokenSplit(covered, text.Length, null));
        }
    }

    private bool FindLeftmostLongest(ReadOnlySpan<char> text, int from, out int start, out int end, out AddedToken token)
    {
        while (from < text.Length)
        {
            var candidate = text[from..].IndexOfAny(_firstChars);
            if (candidate < 0)
            {
                break;
            }

            start = from + candidate;
            var node = _root;
            token = null!;
            end = -1;
            for (var i = start; i < text.Length && node.TryGetChild(text[i], out node); i++)
            {
                if (node.Token is not null)
                {
                    token = node.Token;
                    end = i + 1;
                }
            }

            if (end > 0)
            {
                return true;
            }

            from = start + 1;
        }

        start = end = -1;
        token = null!;
        return false;
    }

    /// <summary>HF's single-word test: no word character (Unicode <c>\w</c>) touches the match on either side.</summary>
    private static bool IsStandaloneWord(ReadOnlySpan<char> text, int start, int end)
    {
        var wordBefore = start > 0 && Rune.DecodeLastFromUtf16(text[..start], out var before, out _) == OperationStatus.Done
            && CharPredicates.IsWordChar(before);
        var wordAfter = end < text.Length && Rune.DecodeFromUtf16(text[end..], out var after, out _) == OperationStatus.Done
            && CharPredicates.IsWordChar(after);
        return !wordBefore && !wordAfter;
    }

    private sealed class TrieNode
    {
        private Dictionary<char, TrieNode>? _children;

        public AddedToken? Token { get; set; }

        public TrieNode Child(char c)
        {
            _children ??= [];
            if (!_children.TryGetValue(c, out var child))
            {
                child = new TrieNode();
                _children[c] = child;
            }

            return child;
        }

        public bool TryGetChild(char c, out TrieNode child)
        {
            child = null!;
            return _children is not null && _children.TryGetValue(c, out child!);
        }
    }
}
