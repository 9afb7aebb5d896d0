using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Kto.Tokenization;
using Microsoft.ML.Tokenizers;

namespace Microsoft.ML.Kto.Tests.Tokenization;

/// <summary>
/// HfTokenizer through the Microsoft.ML.Tokenizers <see cref="Tokenizer"/> contract: the same ids, offsets that spell
/// each token back, token-count limits that never cut a character, and span decoding.
/// </summary>
[TestClass]
public sealed class TokenizerApiTests
{
    public static IEnumerable<object[]> Names => [["qwen3"], ["llama3"], ["llama2"]];

    private static readonly string[] Corpus = JsonSerializer.Deserialize<string[]>(
        File.ReadAllText(Path.Combine(RepoPaths.Root, "build", "golden", "tokenizers", "corpus.json")))!;

    [TestMethod]
    [DynamicData(nameof(Names))]
    public void TokenizerApiGivesTheSameIdsAndCounts(string name)
    {
        var hf = RealTokenizers.Get(name);
        Tokenizer tokenizer = hf;
        foreach (var text in Corpus)
        {
            var expected = hf.EncodeToIds(text);
            CollectionAssert.AreEqual(expected, tokenizer.EncodeToIds(text).ToArray(), text);
            CollectionAssert.AreEqual(expected, tokenizer.EncodeToTokens(text, out _).Select(t => t.Id).ToArray(), text);
            Assert.AreEqual(expected.Length, tokenizer.CountTokens(text), text);
            Assert.AreEqual(hf.Decode(expected), tokenizer.Decode(expected));
        }
    }

    /// <summary>
    /// Byte-level models without a normalizer: each token's offset is exactly the characters whose UTF-8 bytes it
    /// spells, computed here independently from the token's bytes.
    /// </summary>
    [TestMethod]
    [DataRow("llama3")]
    [DataRow("qwen3")]
    public void ByteLevelOffsetsCoverTheCharactersOfEachTokensBytes(string name)
    {
        Tokenizer tokenizer = RealTokenizers.Get(name);
        foreach (var text in Corpus.Where(t => t.IsNormalized(NormalizationForm.FormC) && !t.Contains("<|", StringComparison.Ordinal)))
        {
            var tokens = tokenizer.EncodeToTokens(text, out var normalized);
            var source = normalized ?? text;
            var byteToChar = ByteToCharRanges(source);
            var bytePosition = 0;
            foreach (var token in tokens)
            {
                var byteCount = token.Value.Length;
                Assert.IsTrue(token.Value.All(c => ByteLevelAlphabet.Decode(c) >= 0), $"{token.Value} is not byte-level");
                var (start, _) = byteToChar[bytePosition];
                var (_, end) = byteToChar[bytePosition + byteCount - 1];
                Assert.AreEqual(new Range(start, end), token.Offset, $"{JsonSerializer.Serialize(text)} token {token.Value}");
                bytePosition += byteCount;
            }

            Assert.AreEqual(Encoding.UTF8.GetByteCount(source), bytePosition);
        }
    }

    /// <summary>SentencePiece-style (Llama-2): offsets index the normalized text, where each token's text stands.</summary>
    [TestMethod]
    public void SentencePieceOffsetsIndexTheNormalizedText()
    {
        Tokenizer tokenizer = RealTokenizers.Get("llama2");
        var tokens = tokenizer.EncodeToTokens("Hello world", out var normalized);
        Assert.AreEqual("\u2581Hello\u2581world", normalized);
        CollectionAssert.AreEqual(
            new[] { ("<s>", 0..0), ("\u2581Hello", 0..6), ("\u2581world", 6..12) },
            tokens.Select(t => (t.Value, t.Offset)).ToArray());

        foreach (var text in Corpus)
        {
            foreach (var token in tokenizer.EncodeToTokens(text, out var normalizedText).Where(t => t.Offset.End.Value > t.Offset.Start.Value))
            {
                var covered = normalizedText![token.Offset];
                if (token.Value.StartsWith("<0x", StringComparison.Ordinal))
                {
                    Assert.IsTrue(Encoding.UTF8.GetBytes(covered).Contains(Convert.ToByte(token.Value[3..5], 16)), $"{token.Value} in {covered}");
                }
                else
                {
                    Assert.AreEqual(token.Value, covered);
                }
            }
        }
    }

    [TestMethod]
    public void AstralCharactersSplitAcrossTokensShareOneOffset()
    {
        Tokenizer tokenizer = RealTokenizers.Get("llama3");
        var text = "a 👍🏽 b";
        var tokens = tokenizer.EncodeToTokens(text, out _).Skip(1).ToArray(); // after <|begin_of_text|>
        var thumb = tokens.Where(t => t.Offset.Equals(2..4)).ToArray();
        Assert.IsTrue(thumb.Length >= 1 && tokens.All(t => t.Offset.Start.Value is 0 or 1 or 2 or 4 or 6 or 7), string.Join(" ", tokens.Select(t => t.Offset)));
        Assert.AreEqual(text.Length, tokens[^1].Offset.End.Value);
    }

    /// <summary>Whatever the limit, the index falls on a token boundary that no character straddles.</summary>
    [TestMethod]
    [DataRow("llama3", "héllo 👍🏽👨‍👩‍👧 𝐀𝐁𝐂 世界")]
    [DataRow("llama2", "héllo 👍🏽👨‍👩‍👧 𝐀𝐁𝐂 世界")]
    public void GetIndexByTokenCountNeverCutsACharacter(string name, string text)
    {
        Tokenizer tokenizer = RealTokenizers.Get(name);
        var tokens = tokenizer.EncodeToTokens(text, out var normalized);
        var source = normalized ?? text;
        var boundaries = tokens.Select(t => t.Offset.End.Value).ToHashSet();
        for (var max = 1; max <= tokens.Count + 1; max++)
        {
            var index = tokenizer.GetIndexByTokenCount(text, max, out _, out var count);
            Assert.IsTrue(count <= max && (index == 0 || boundaries.Contains(index)), $"max {max}: index {index}, count {count}");
            Assert.IsFalse(index > 0 && index < source.Length && char.IsLowSurrogate(source[index]), $"index {index} splits a surrogate pair");
            Assert.IsTrue(count == tokens.Count || tokens[count].Offset.Start.Value >= index, $"token {count} starts inside the kept text");

            var limited = tokenizer.EncodeToIds(text, max, out _, out var consumed);
            Assert.AreEqual(index, consumed);
            CollectionAssert.AreEqual(tokens.Take(count).Select(t => t.Id).ToArray(), limited.ToArray());

            var fromEnd = tokenizer.GetIndexByTokenCountFromEnd(text, max, out _, out var tailCount);
            Assert.IsTrue(tailCount <= max && tailCount <= tokens.Count);
            Assert.AreEqual(tailCount == 0 ? source.Length : tokens[tokens.Count - tailCount].Offset.Start.Value, fromEnd);
        }

        Assert.AreEqual(source.Length, tokenizer.GetIndexByTokenCount(text, tokens.Count, out _, out var all));
        Assert.AreEqual(tokens.Count, all);
    }

    [TestMethod]
    public void TokenCountLimitStopsBeforeAPartlySpelledCharacter()
    {
        Tokenizer tokenizer = RealTokenizers.Get("llama3");
        var tokens = tokenizer.EncodeToTokens("ab😀", out _); // <|begin_of_text|>, ab, then 😀's bytes in more than one token
        var emoji = tokens.Where(t => t.Offset.Equals(2..4)).Count();
        Assert.IsTrue(emoji >= 2, "fixture: the emoji must take several byte-level tokens");
        Assert.AreEqual(2, tokenizer.GetIndexByTokenCount("ab😀", tokens.Count - 1, out _, out var count));
        Assert.AreEqual(tokens.Count - emoji, count);
    }

    [TestMethod]
    public void DecodeIntoASpanKeepsTheLongestPrefixThatFits()
    {
        Tokenizer tokenizer = RealTokenizers.Get("llama3");
        var ids = RealTokenizers.Get("llama3").EncodeToIds("Hello brave new world", addSpecialTokens: false);
        var whole = tokenizer.Decode(ids);

        var big = new char[whole.Length];
        Assert.AreEqual(OperationStatus.Done, tokenizer.Decode(ids, big, out var allIds, out var allChars));
        Assert.AreEqual((ids.Length, whole), (allIds, new string(big, 0, allChars)));

        var small = new char[12]; // "Hello brave" is 11 characters, " new" would overflow
        Assert.AreEqual(OperationStatus.DestinationTooSmall, tokenizer.Decode(ids, small, out var used, out var written));
        Assert.AreEqual("Hello brave", new string(small, 0, written));
        Assert.AreEqual(2, used);
    }

    [TestMethod]
    public void SkippingPreTokenizationIsRefusedWithTheReason()
    {
        Tokenizer tokenizer = RealTokenizers.Get("qwen3");
        var error = Assert.ThrowsExactly<NotSupportedException>(() => tokenizer.EncodeToIds("hi", considerPreTokenization: false));
        StringAssert.Contains(error.Message, "considerPreTokenization: true");
    }

    [TestMethod]
    public void SkippingNormalizationEncodesTheTextAsGiven()
    {
        Tokenizer tokenizer = RealTokenizers.Get("llama2");
        var normalized = "\u2581Hello\u2581world";
        CollectionAssert.AreEqual(tokenizer.EncodeToIds("Hello world").ToArray(), tokenizer.EncodeToIds(normalized, considerNormalization: false).ToArray());
    }

    /// <summary>For each UTF-8 byte of <paramref name="text"/>, the UTF-16 range of the character it belongs to.</summary>
    private static List<(int Start, int End)> ByteToCharRanges(string text)
    {
        var ranges = new List<(int, int)>();
        for (var i = 0; i < text.Length;)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var width);
            for (var b = 0; b < rune.Utf8SequenceLength; b++)
            {
                ranges.Add((i, i + width));
            }

            i += width;
        }

        return ranges;
    }
}
