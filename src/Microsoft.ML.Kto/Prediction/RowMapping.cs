using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Data;

namespace Microsoft.ML.Kto.Prediction;

/// <summary>
/// How typed rows meet the generator: the input class's prompt property (text or <see cref="JsonArray"/> of chat
/// messages), the output class's completion property, and the properties both classes share, which are copied
/// through as ML.NET's prediction engine does.
/// </summary>
internal sealed class RowMapping<TIn, TOut> where TOut : new()
{
    private readonly PropertyInfo _prompt;
    private readonly PropertyInfo _completion;
    private readonly (PropertyInfo From, PropertyInfo To)[] _copied;

    public RowMapping(KtoTransformOptions options)
    {
        _prompt = ColumnProperty.Find(typeof(TIn), options.PromptColumnName)
            ?? throw new ArgumentException($"{typeof(TIn).Name} has no property for the prompt column '{options.PromptColumnName}'. Name one after the column or mark it [KtoColumn(\"{options.PromptColumnName}\")].");
        if (_prompt.PropertyType != typeof(string) && _prompt.PropertyType != typeof(JsonArray))
            throw new ArgumentException($"{typeof(TIn).Name}.{_prompt.Name} must be a string (text prompt) or a JsonArray (chat messages); it is {_prompt.PropertyType.Name}.");
        _completion = ColumnProperty.Find(typeof(TOut), options.OutputColumnName)
            ?? throw new ArgumentException($"{typeof(TOut).Name} has no property for the output column '{options.OutputColumnName}'. Name one after the column or mark it [KtoColumn(\"{options.OutputColumnName}\")].");
        if (_completion.PropertyType != typeof(string) || !_completion.CanWrite)
            throw new ArgumentException($"{typeof(TOut).Name}.{_completion.Name} must be a settable string to receive the generated completion.");
        _copied = typeof(TIn).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead)
            .Select(p => (From: p, To: ColumnProperty.Find(typeof(TOut), ColumnProperty.ColumnOf(p))))
            .Where(pair => pair.To is { CanWrite: true } to && to != _completion && to.PropertyType.IsAssignableFrom(pair.From.PropertyType))
            .Select(pair => (pair.From, pair.To!))
            .ToArray();
    }

    public KtoContent PromptOf(TIn row, int rowNumber) => _prompt.GetValue(row) switch
    {
        string text => KtoContent.FromText(text),
        JsonArray messages => KtoContent.FromMessages(messages),
        _ => throw new KtoDataException($"Row {rowNumber}: {typeof(TIn).Name}.{_prompt.Name} is null; every row needs a prompt."),
    };

    public TOut Output(TIn row, string completion)
    {
        var output = new TOut();
        foreach (var (from, to) in _copied) to.SetValue(output, from.GetValue(row));
        _completion.SetValue(output, completion);
        return output;
    }
}
