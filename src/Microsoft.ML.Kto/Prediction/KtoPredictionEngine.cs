namespace Microsoft.ML.Kto.Prediction;

/// <summary>
/// Single-row generation with typed input and output classes (ML.NET's <c>PredictionEngine</c>): the input's prompt
/// property is completed and the result written to the output's completion property. Not thread-safe (the model's
/// generation is sequential); create one engine per thread.
/// </summary>
public sealed class KtoPredictionEngine<TIn, TOut> where TOut : new()
{
    private readonly KtoTransformer _model;
    private readonly KtoTransformOptions _options;
    private readonly RowMapping<TIn, TOut> _mapping;

    internal KtoPredictionEngine(KtoTransformer model, KtoTransformOptions options)
    {
        options.Validate();
        _model = model;
        _options = options;
        _mapping = new RowMapping<TIn, TOut>(options);
    }

    /// <summary>Generates the completion of one row.</summary>
    public TOut Predict(TIn example) =>
        _mapping.Output(example, _model.Complete([_mapping.PromptOf(example, 1)], _options)[0]);
}
