using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.Kto.DataViews;

/// <summary>
/// What a <see cref="KtoTransformer"/> writes into an ML.NET model zip: ML.NET 5.0.1 keeps the API for a third-party
/// transformer's own entries internal, so the transformer saves as a custom mapping with this contract name and
/// <c>mlContext.Model.SaveWithKto</c> adds the weights beside it. The contract name is what ML.NET's loader names when
/// it cannot find the mapping, so a plain <c>mlContext.Model.Load</c> fails with the way to load the model.
/// </summary>
public static class KtoModelZip
{
    /// <summary>The custom-mapping contract name of a saved <see cref="KtoTransformer"/>.</summary>
    public const string ContractName = "Microsoft.ML.Kto.KtoTransformer (load this model with mlContext.Model.LoadWithKto)";

    /// <summary>Folder of the zip that holds the KTO models (Hugging Face layout), one numbered folder per transformer.</summary>
    public const string EntryPrefix = "KtoModels/";
}

/// <summary>The placeholder's input row (the prompt).</summary>
public sealed class KtoPlaceholderInput
{
    /// <summary>The prompt column.</summary>
    [ColumnName("prompt")] public string Prompt { get; set; } = "";
}

/// <summary>The placeholder's output row (the generated completion).</summary>
public sealed class KtoPlaceholderOutput
{
    /// <summary>The generated completion column.</summary>
    [ColumnName("generated_completion")] public string GeneratedCompletion { get; set; } = "";
}

/// <summary>
/// The placeholder's factory, which ML.NET finds when it loads a zip holding one. A plain <c>ml.Model.Load</c> would
/// yield a model without weights, so the factory refuses there with the way that restores them; inside
/// <c>LoadWithKto</c>, which replaces every placeholder, it lets the load proceed.
/// </summary>
[CustomMappingFactoryAttribute(KtoModelZip.ContractName)]
public sealed class KtoPlaceholderFactory : CustomMappingFactory<KtoPlaceholderInput, KtoPlaceholderOutput>
{
    private const string Refusal = "This model holds a KtoTransformer whose weights ml.Model.Load cannot restore; load it with mlContext.Model.LoadWithKto(path).";

    [ThreadStatic] private static bool RestoringOnThisThread;

    /// <inheritdoc/>
    public override Action<KtoPlaceholderInput, KtoPlaceholderOutput> GetMapping() =>
        RestoringOnThisThread ? (_, _) => throw new InvalidOperationException(Refusal) : throw new InvalidOperationException(Refusal);

    /// <summary>Lets placeholders load on this thread until disposed (LoadWithKto replaces them right after).</summary>
    internal static IDisposable Restoring()
    {
        RestoringOnThisThread = true;
        return new RestoringScope();
    }

    private sealed class RestoringScope : IDisposable
    {
        public void Dispose() => RestoringOnThisThread = false;
    }
}
