using System.Text;

namespace KtoFuzz;

/// <summary>
/// Deterministic mutations of a seed input: byte flips, deletions, duplications, truncation, and splices of tokens
/// that matter to the formats under test (JSON structure, Jinja delimiters, extreme numbers, odd Unicode).
/// </summary>
internal sealed class Mutator(int seed, IReadOnlyList<string> dictionary)
{
    private readonly Random _random = new(seed);

    public byte[] Mutate(byte[] input)
    {
        var data = new List<byte>(input);
        var rounds = 1 + _random.Next(4);
        for (var i = 0; i < rounds; i++)
        {
            MutateOnce(data);
        }

        return [.. data];
    }

    private void MutateOnce(List<byte> data)
    {
        var at = data.Count == 0 ? 0 : _random.Next(data.Count);
        switch (_random.Next(7))
        {
            case 0 when data.Count > 0:
                data[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when data.Count > 0:
                data.RemoveRange(at, Math.Min(data.Count - at, 1 + _random.Next(16)));
                break;
            case 2 when data.Count > 0:
                var length = Math.Min(data.Count - at, 1 + _random.Next(64));
                data.InsertRange(_random.Next(data.Count), data.GetRange(at, length));
                break;
            case 3 when data.Count > 0:
                data.RemoveRange(at, data.Count - at);
                break;
            case 4 when data.Count > 0:
                data[at] = (byte)_random.Next(256);
                break;
            default:
                var token = dictionary[_random.Next(dictionary.Count)];
                var repeat = _random.Next(10) == 0 ? 1 + _random.Next(2000) : 1;   // sometimes a long run: nesting, sizes
                data.InsertRange(at, Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(token, repeat))));
                break;
        }
    }
}
