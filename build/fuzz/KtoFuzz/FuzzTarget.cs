namespace KtoFuzz;

/// <summary>
/// One parser under fuzzing: its seed inputs, the tokens worth splicing into them, what it does with an input, and
/// the exception types that count as a proper rejection (the library's own, naming the problem).
/// </summary>
internal sealed record FuzzTarget(
    string Name,
    IReadOnlyList<byte[]> Seeds,
    IReadOnlyList<string> Dictionary,
    Action<byte[]> Run,
    IReadOnlyList<Type> RejectionTypes)
{
    public bool IsRejection(Exception e) => RejectionTypes.Any(t => t.IsInstanceOfType(e));
}
